// Like the root config: workspace packages resolve to their TypeScript sources, so the browser
// tests can start the whole platform in-process without a build.
export { workspaceAlias } from '../vitest.aliases';
