// `prepack`: bundles the CLI with everything it imports (@expe/sdk from its source, commander, ws)
// into one ES module, dist/expe.js, so the packed package has no dependencies to fetch and
// installs on a machine without the repository (`npm install -g expe-cli-0.1.0.tgz`). The
// licences of the bundled packages go beside it, in dist/THIRD_PARTY_LICENSES.txt.
// esbuild is the one tsx runs on (tsx is a devDependency of the repository and esbuild its own
// dependency), resolved from tsx so that it is the same copy whichever way npm hoisted it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

const esbuild = createRequire(fileURLToPath(import.meta.resolve('tsx')))(
  'esbuild',
) as typeof Esbuild;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(packageDir, '../..');

const { metafile } = await esbuild.build({
  absWorkingDir: packageDir,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/expe.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // The workspace packages' TypeScript source: the SDK needs no build of its own first.
  conditions: ['@expe/source'],
  // ws loads these native speed-ups only when installed, inside a try; the bundle does without.
  external: ['bufferutil', 'utf-8-validate'],
  // commander and ws are CommonJS and require Node's built-ins: give the ES module a require.
  banner: {
    js: "import { createRequire as __expeCreateRequire } from 'node:module';\nconst require = __expeCreateRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
});

// Every package directory under node_modules that contributed a file, with its licence text.
const bundled = new Set<string>();
for (const input of Object.keys(metafile.inputs)) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match?.[1]) bundled.add(join(packageDir, match[1]));
}
const notices = [...bundled].sort().map((dir) => {
  const { name, version, license } = JSON.parse(
    readFileSync(join(dir, 'package.json'), 'utf8'),
  ) as {
    name: string;
    version: string;
    license: string;
  };
  const file = readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${license}`;
  return `${name}@${version} (${license})\n\n${text}\n`;
});
const ownLicense = join(repoRoot, 'LICENSE');
if (existsSync(ownLicense))
  notices.unshift(`@expe/cli, @expe/sdk\n\n${readFileSync(ownLicense, 'utf8').trim()}\n`);
writeFileSync(join(packageDir, 'dist/THIRD_PARTY_LICENSES.txt'), notices.join('\n---\n\n'));
process.stderr.write(
  `dist/expe.js bundles ${[...bundled].map((dir) => dir.split('node_modules/').pop()).join(', ')}\n`,
);
