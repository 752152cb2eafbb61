// What each entry of the built web app makes a browser download, gzip-compressed: the entry's
// chunk, every chunk it imports statically, and their CSS (Vite's dist/.vite/manifest.json).
// `node --import tsx web/e2e/support/bundle-sizes.ts` prints them after `npm run build -w @expe/web`;
// the size budget test (web/e2e/bundle-size.e2e.test.ts) asserts them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
}
type Manifest = Record<string, ManifestChunk>;

export interface EntrySize {
  /** Files downloaded before the entry runs (static imports), with their gzip sizes. */
  files: { file: string; gzip: number }[];
  gzip: number;
}

export function readManifest(dist: string): Manifest {
  return JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
}

/** The files a browser loads for manifest key `key` and its static imports (not lazy ones). */
export function staticClosure(manifest: Manifest, key: string): string[] {
  const files = new Set<string>();
  const visit = (name: string) => {
    const chunk = manifest[name];
    if (!chunk) throw new Error(`${name} is not in the manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(key);
  return [...files];
}

export function entrySize(dist: string, keys: string[]): EntrySize {
  const manifest = readManifest(dist);
  const names = [...new Set(keys.flatMap((key) => staticClosure(manifest, key)))];
  const files = names.map((file) => ({
    file,
    gzip: gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
  }));
  return { files, gzip: files.reduce((sum, file) => sum + file.gzip, 0) };
}

/** The manifest key of the lazy chunk of a page module, e.g. `src/app/routes/wallet-page.tsx`. */
export function pageKeys(dist: string): string[] {
  return Object.keys(readManifest(dist)).filter((key) => key.startsWith('src/app/routes/'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = resolve(import.meta.dirname, '../../dist');
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const entry = entrySize(dist, ['index.html']);
  const checkout = entrySize(dist, ['checkout.html']);
  process.stdout.write(`checkout.html (the /pay/:id page): ${kb(checkout.gzip)} gzip\n`);
  process.stdout.write(`index.html (the app's entry, before any page): ${kb(entry.gzip)} gzip\n`);
  for (const key of pageKeys(dist)) {
    process.stdout.write(`  + ${key}: ${kb(entrySize(dist, ['index.html', key]).gzip)} gzip\n`);
  }
}
