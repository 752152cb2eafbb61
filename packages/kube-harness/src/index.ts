export {
  ensureKubeBinaries,
  missingKubeTools,
  findGo,
  toolsDirectory,
  ToolchainError,
  kubernetesWrapperGoMod,
  etcdWrapperGoMod,
  type KubeBinaries,
  type EnsureOptions,
} from './binaries.js';
export {
  ensureObservabilityBinaries,
  observabilityToolDirectory,
  observabilityVersions,
  type ObservabilityBinaries,
  type ObservabilityTool,
} from './observability-tools.js';
export { buildObservabilityImage } from './images/observability-images.js';
export { startControlPlane, type ControlPlane, type StartOptions } from './control-plane.js';
export { withFileLock } from './file-lock.js';
export { run, CommandError, type CommandResult, type RunOptions } from './commands.js';
export {
  toolVersions,
  toolNames,
  toolSets,
  stagingVersion,
  versionKey,
  type ToolName,
  type ToolSet,
} from './versions.js';
export { repositoryRoot, crdDirectory, chartsDirectory } from './paths.js';
export {
  startCluster,
  stopCluster,
  connectCluster,
  recycleVolumes,
  type Cluster,
  type StartClusterOptions,
} from './cluster/cluster.js';
export {
  clusterNetwork,
  clusterPaths,
  imagesDirectory,
  type ClusterPaths,
} from './cluster/layout.js';
export { buildAndImportImages, type ClusterImages } from './images/import-images.js';
export {
  appCommands,
  buildAppImage,
  buildPauseImage,
  buildCoreDnsImage,
  buildPostgresImage,
  buildRedisImage,
  postgresImage,
  redisImage,
} from './images/images.js';
export {
  writeDockerArchive,
  type ArchiveImage,
  type ImageRuntimeConfig,
} from './images/docker-archive.js';
