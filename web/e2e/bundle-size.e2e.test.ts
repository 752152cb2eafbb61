import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrySize, pageKeys, readManifest, staticClosure } from './support/bundle-sizes.js';

// The size budget: a production build of the current sources (into a temporary directory),
// measured as a browser downloads it: each entry with every chunk and CSS file it imports
// statically, gzip-compressed. Over budget fails; see web/README.md "Bundle" for the fixes.
const budget = {
  /** The hosted checkout (/pay/:id): a merchant's customer, maybe on a phone. */
  checkout: 100_000,
  /** The app's entry before any page: React, the router, the query cache, the session. */
  appEntry: 128_000,
  /** The entry plus any one page with what it imports. */
  page: 200_000,
};

const webDir = resolve(import.meta.dirname, '..');
let dist: string;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'expe-web-budget-'));
  await build({
    root: webDir,
    configFile: join(webDir, 'vite.config.ts'),
    logLevel: 'warn',
    mode: 'production',
    // Vitest runs with NODE_ENV=test, which would select React's development build.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir: dist, emptyOutDir: true },
  });
});

afterAll(() => rmSync(dist, { recursive: true, force: true }));

/** Every source file (from the source maps) of the given built files. */
function sourcesOf(files: string[]): string[] {
  return files
    .filter((file) => file.endsWith('.js') && existsSync(join(dist, `${file}.map`)))
    .flatMap(
      (file) =>
        (JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8')) as { sources: string[] })
          .sources,
    );
}

describe('web bundle size budget', () => {
  it('when a customer opens a checkout link, then the page downloads under 100 KB gzip and nothing of the console', () => {
    const checkout = entrySize(dist, ['checkout.html']);
    const sources = sourcesOf(checkout.files.map((file) => file.file));

    expect(checkout.gzip).toBeLessThan(budget.checkout);
    expect(sources.filter((source) => /react-router|@tanstack|zod|qrcode/.test(source))).toEqual(
      [],
    );
    expect(
      sources.filter((source) =>
        /src\/(features\/(merchants|webhooks)|components\/layout)/.test(source),
      ),
    ).toEqual([]);
  });

  it("when a payer opens a charge's receipt link, then the page downloads under the checkout's budget and nothing of the console or the checkout", () => {
    const receipt = entrySize(dist, ['receipt.html']);
    const sources = sourcesOf(receipt.files.map((file) => file.file));

    expect(receipt.gzip).toBeLessThan(budget.checkout);
    expect(sources.filter((source) => /react-router|@tanstack|zod|qrcode/.test(source))).toEqual(
      [],
    );
    expect(
      sources.filter((source) =>
        /src\/(features\/(merchants|webhooks|checkout|payments)|components\/layout)/.test(source),
      ),
    ).toEqual([]);
  });

  it('when the app starts, then its entry stays within budget and every page is loaded on demand', () => {
    const manifest = readManifest(dist);
    const entryFiles = staticClosure(manifest, 'index.html');
    const pages = pageKeys(dist);

    expect(entrySize(dist, ['index.html']).gzip).toBeLessThan(budget.appEntry);
    // Every page module is a chunk of its own that the entry does not load.
    expect(pages.length).toBeGreaterThanOrEqual(10);
    for (const key of pages) expect(entryFiles).not.toContain(manifest[key]?.file);
  });

  it('when any page is opened, then the entry and that page stay within budget', () => {
    const sizes = Object.fromEntries(
      pageKeys(dist).map((key) => [key, entrySize(dist, ['index.html', key]).gzip]),
    );

    expect(
      Object.entries(sizes).filter(([, gzip]) => gzip >= budget.page),
      JSON.stringify(sizes, null, 1),
    ).toEqual([]);
  });

  it('when built, then no browser chunk carries the OpenAPI generator', () => {
    const chunks = readdirSync(join(dist, 'assets')).filter((file) => file.endsWith('.js'));

    expect(
      sourcesOf(chunks.map((file) => `assets/${file}`)).filter((source) =>
        /zod-to-openapi|contracts\/src\/openapi\.ts/.test(source),
      ),
    ).toEqual([]);
  });
});
