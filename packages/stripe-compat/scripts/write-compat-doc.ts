// Writes docs/stripe-compatibility.md from the Stripe operation specs:
// npm run compat-doc -w @expe/stripe-compat
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { renderCompatDoc } from '../src/index.js';

export const compatDocPath = fileURLToPath(
  new URL('../../../docs/stripe-compatibility.md', import.meta.url),
);

/** The table as the repository keeps it: generated, then formatted like every other doc. */
export async function formattedCompatDoc(): Promise<string> {
  const options = (await resolveConfig(compatDocPath)) ?? {};
  return format(renderCompatDoc(), { ...options, filepath: compatDocPath });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(compatDocPath, await formattedCompatDoc());
  process.stdout.write(`wrote ${compatDocPath}\n`);
}
