import { defineConfig } from 'vitest/config';
import { workspaceAlias } from './vitest.aliases.js';

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, so tests never need a build first.
  resolve: { alias: workspaceAlias },
  test: {
    // Node suites here; the web app's component tests (jsdom) and browser tests (Chromium)
    // are projects of their own.
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['{packages,services,operator,platform,test}/**/*.test.ts'],
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
