import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

/**
 * Like the root config: workspace packages resolve to their TypeScript sources, so the browser
 * tests can start the whole platform in-process without a build.
 */
export const workspaceAlias = ['packages', 'services'].flatMap((group) =>
  readdirSync(resolve(repo, group))
    .filter((dir) => existsSync(resolve(repo, group, dir, 'src/index.ts')))
    .map((dir) => ({
      find: new RegExp(`^@expe/${dir}$`),
      replacement: resolve(repo, group, dir, 'src/index.ts'),
    })),
);
