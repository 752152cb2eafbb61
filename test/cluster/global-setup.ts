import type { TestProject } from 'vitest/node';
import {
  buildAndImportImages,
  connectCluster,
  recycleVolumes,
  startCluster,
  stopCluster,
  type ClusterImages,
} from '@expe/kube-harness';

declare module 'vitest' {
  export interface ProvidedContext {
    clusterImages: ClusterImages;
  }
}

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

/**
 * Brings the cluster up unless one is running (`npm run cluster:up`), builds and imports the
 * images, and tears the cluster down at the end if it started it here
 * (EXPE_CLUSTER_KEEP=1 keeps it for a look with kubectl).
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const running = await connectCluster().catch(() => undefined);
  const cluster = running ?? (await startCluster({ log }));
  log(
    `cluster ${running ? 'already running' : 'started'} in ${Math.round((Date.now() - started) / 1000)}s`,
  );
  const imagesStarted = Date.now();
  const images = await buildAndImportImages(cluster, { log });
  log(
    `images ready in ${Math.round((Date.now() - imagesStarted) / 1000)}s (app tag ${images.appTag})`,
  );
  await recycleVolumes(cluster);
  project.provide('clusterImages', images);
  return async () => {
    if (!running && !process.env.EXPE_CLUSTER_KEEP) await stopCluster({ log });
  };
}
