export {
  ensureKubeBinaries,
  findGo,
  toolsDirectory,
  ToolchainError,
  kubernetesWrapperGoMod,
  etcdWrapperGoMod,
  type KubeBinaries,
  type EnsureOptions,
} from './binaries.js';
export { startControlPlane, type ControlPlane, type StartOptions } from './control-plane.js';
export { withFileLock } from './file-lock.js';
export { run, CommandError, type CommandResult, type RunOptions } from './commands.js';
export { toolVersions, toolNames, stagingVersion, versionKey, type ToolName } from './versions.js';
export { repositoryRoot, crdDirectory, chartsDirectory } from './paths.js';
export * from './crd-types.js';
