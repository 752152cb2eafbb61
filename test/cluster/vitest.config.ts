import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../../', import.meta.url));

// Workspace packages resolve to their TypeScript sources, as in the root vitest.config.ts.
const alias = ['packages', 'services'].flatMap((group) =>
  readdirSync(resolve(root, group))
    .filter((dir) => existsSync(resolve(root, group, dir, 'src/index.ts')))
    .map((dir) => ({
      find: new RegExp(`^@expe/${dir}$`),
      replacement: resolve(root, group, dir, 'src/index.ts'),
    })),
);

// The cluster tests: a real one-node Kubernetes cluster (packages/kube-harness), the charts
// installed with helm, traffic through real Services and DNS. `npm run test:cluster`; never
// part of `npm test`. Files run one after another: they share one cluster and one release.
export default defineConfig({
  root,
  resolve: { alias },
  test: {
    name: 'cluster',
    include: ['test/cluster/**/*.cluster.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 300_000,
    hookTimeout: 900_000,
    env: { NODE_ENV: 'test' },
  },
});
