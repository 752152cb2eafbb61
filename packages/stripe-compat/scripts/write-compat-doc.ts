// Writes docs/stripe-compatibility.md from the Stripe operation specs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCompatDoc } from '../src/index.js';

const target = fileURLToPath(new URL('../../../docs/stripe-compatibility.md', import.meta.url));
writeFileSync(target, renderCompatDoc());
process.stdout.write(`wrote ${target}\n`);
