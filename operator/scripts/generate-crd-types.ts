/**
 * Writes operator/src/api/v1alpha1/types.ts from the CRD YAML in charts/expe-operator/crds
 * (the source of truth). `--check` exits 1 when the committed file
 * differs, for CI; the drift test does the same comparison.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';
import { crdsToTypeScript, type CustomResourceDefinition } from './crd-to-typescript.js';

export const crdDirectory = fileURLToPath(
  new URL('../../charts/expe-operator/crds/', import.meta.url),
);
export const crdTypesPath = fileURLToPath(new URL('../src/api/v1alpha1/types.ts', import.meta.url));

const header = `// Generated from charts/expe-operator/crds/*.yaml by
// operator/scripts/generate-crd-types.ts — do not edit; change the CRD and rerun
// \`npm run generate-crd-types -w @expe/operator\`.`;

/** The generated file's text, formatted as the repository's Prettier config says. */
export async function renderCrdTypes(): Promise<string> {
  const files = (await readdir(crdDirectory)).filter((file) => file.endsWith('.yaml')).sort();
  const crds = await Promise.all(
    files.map(
      async (file) =>
        parse(await readFile(join(crdDirectory, file), 'utf8')) as CustomResourceDefinition,
    ),
  );
  const source = crdsToTypeScript(crds, header);
  const config = (await resolveConfig(crdTypesPath)) ?? {};
  return format(source, { ...config, parser: 'typescript' });
}

async function main(check: boolean): Promise<number> {
  const rendered = await renderCrdTypes();
  const current = await readFile(crdTypesPath, 'utf8').catch(() => '');
  if (check) {
    if (rendered === current) return 0;
    process.stderr.write(
      `${crdTypesPath} is out of date with the CRDs; run npm run generate-crd-types -w @expe/operator\n`,
    );
    return 1;
  }
  if (rendered !== current) await writeFile(crdTypesPath, rendered);
  process.stdout.write(`wrote ${crdTypesPath}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.includes('--check'));
}
