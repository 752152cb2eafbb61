import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { workspaceAlias } from './vitest.shared';

// Component tests of the forms: jsdom, React Testing Library.
export default defineProject({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: { alias: workspaceAlias },
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test/setup.ts'],
  },
});
