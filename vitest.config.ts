import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, so tests never need a build first.
const alias = ['packages', 'services'].flatMap((group) =>
  readdirSync(resolve(import.meta.dirname, group))
    .filter((dir) => existsSync(resolve(import.meta.dirname, group, dir, 'src/index.ts')))
    .map((dir) => ({
      find: new RegExp(`^@expe/${dir}$`),
      replacement: resolve(import.meta.dirname, group, dir, 'src/index.ts'),
    })),
);

export default defineConfig({
  resolve: { alias },
  test: {
    // Node suites here; the web app's component tests (jsdom) and browser tests (Chromium)
    // are projects of their own.
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['{packages,services,operator,test}/**/*.test.ts'],
          // Need a real cluster: `npm run test:cluster` (test/cluster/vitest.config.ts).
          exclude: ['test/cluster/**', '**/node_modules/**', '**/dist/**'],
        },
      },
      'web/vitest.config.ts',
      'web/vitest.e2e.config.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
