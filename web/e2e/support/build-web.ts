import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const webDir = resolve(import.meta.dirname, '../..');
const repoDir = resolve(webDir, '..');
export const webDistDir = join(webDir, 'dist');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.test.tsx') || entry.endsWith('.test.ts'))
      continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Vitest globalSetup: build web/dist once when it is missing or older than its sources. */
export default async function buildWebOnce(): Promise<void> {
  const builtAt = newestMtime(join(webDistDir, 'index.html'));
  const sourcesAt = Math.max(
    newestMtime(join(webDir, 'src')),
    newestMtime(join(webDir, 'public')),
    newestMtime(join(webDir, 'index.html')),
    newestMtime(join(webDir, 'checkout.html')),
    newestMtime(join(webDir, 'receipt.html')),
    newestMtime(join(webDir, 'vite.config.ts')),
    newestMtime(join(repoDir, 'packages/contracts/src')),
    newestMtime(join(repoDir, 'packages/contracts/package.json')),
  );
  if (builtAt > sourcesAt) return;
  await build({ root: webDir, configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
}
