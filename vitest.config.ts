import { defineConfig } from 'vitest/config';
import { workspaceAlias } from './vitest.aliases.js';
import { kubernetesTestGlobs } from './test/support/kubernetes-tests.js';

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
          exclude: ['test/cluster/**', ...kubernetesTestGlobs, '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        // The files that need the Kubernetes tools run after all the others (a later group), each
        // waiting first for the tools: on a new machine they build while the rest of the suite runs.
        extends: true,
        test: {
          name: 'kubernetes',
          include: kubernetesTestGlobs,
          exclude: ['**/node_modules/**', '**/dist/**'],
          setupFiles: ['test/support/kubernetes-tools.setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
      'web/vitest.config.ts',
      'web/vitest.e2e.config.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // A run leaves no database, Redis key or process behind (fails under CI; see the file).
    globalSetup: ['test/support/leftovers.global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
