import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface PackageJson {
  name?: string;
  exports?: Record<string, Record<string, string>>;
  imports?: Record<string, Record<string, string>>;
}

/**
 * Workspace packages resolve to their TypeScript sources (the `@expe/source` condition of each
 * package.json `exports` and `imports`), so tests never need a build first. Shared by the root
 * Vitest config and the web app's projects.
 */
/** The workspace folders: every package and service, and the composition root (`platform/`). */
const workspaceDirs = [
  ...['packages', 'services'].flatMap((group) =>
    readdirSync(resolve(import.meta.dirname, group)).map((dir) => `${group}/${dir}`),
  ),
  'platform',
];

export const workspaceAlias = workspaceDirs.flatMap((workspace) => {
  const root = resolve(import.meta.dirname, workspace);
  const dir = workspace.split('/').at(-1)!;
  if (!existsSync(resolve(root, 'package.json'))) return [];
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as PackageJson;
  const entries = [
    ...Object.entries(pkg.exports ?? {}).map(([subpath, targets]) => ({
      specifier: `${pkg.name ?? `@expe/${dir}`}${subpath.slice(1)}`,
      source: targets['@expe/source'],
    })),
    ...Object.entries(pkg.imports ?? {}).map(([specifier, targets]) => ({
      specifier,
      source: targets['@expe/source'],
    })),
  ];
  return entries.flatMap(({ specifier, source }) =>
    source && typeof source === 'string'
      ? [
          {
            find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
            replacement: resolve(root, source),
          },
        ]
      : [],
  );
});
