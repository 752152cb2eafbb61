import { defineProject } from 'vitest/config';
import { workspaceAlias } from './vitest.shared';

// Browser tests: the whole platform in-process, driven through Debian's Chromium.
export default defineProject({
  root: import.meta.dirname,
  resolve: { alias: workspaceAlias },
  test: {
    name: 'web-e2e',
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['./e2e/support/build-web.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
