import type { Cluster } from '../cluster/cluster.js';
import { ensureObservabilityBinaries } from '../observability-tools.js';
import { buildObservabilityImage } from './observability-images.js';
import {
  buildAppImage,
  buildPauseImage,
  buildPostgresImage,
  buildRedisImage,
  postgresImage,
  redisImage,
  type BuiltArchive,
} from './images.js';

export interface ClusterImages {
  /** Tag of every `expe-<deployable>` image (a hash of what went into it). */
  appTag: string;
  postgresImage: string;
  redisImage: string;
  /** The OpenTelemetry Collector and Prometheus (charts/expe's observability values). */
  otelcolImage: string;
  prometheusImage: string;
}

/** Docker-style short names as containerd records them (`expe-gateway:x` → docker.io/library/…). */
export function containerdName(name: string): string {
  const firstPart = name.split('/')[0] ?? '';
  if (name.includes('/') && (firstPart.includes('.') || firstPart.includes(':'))) return name;
  return name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
}

export async function importUnlessPresent(
  cluster: Cluster,
  built: BuiltArchive,
  log: (line: string) => void,
) {
  const { stdout } = await cluster.ctr(['images', 'list', '--quiet']);
  const present = new Set(stdout.split('\n'));
  if (built.names.every((name) => present.has(containerdName(name)))) return;
  const started = Date.now();
  await cluster.importImage(built.archive);
  log(`imported ${built.names.join(', ')} in ${Math.round((Date.now() - started) / 1000)}s`);
}

/**
 * Builds (or finds in the cache) the app, PostgreSQL and Redis images and imports them into the
 * node's containerd, so every Pod can run with `imagePullPolicy: Never`.
 */
export async function buildAndImportImages(
  cluster: Cluster,
  options: { log?: (line: string) => void } = {},
): Promise<ClusterImages> {
  const log = options.log ?? (() => {});
  const timed = async <T extends BuiltArchive>(label: string, build: () => Promise<T>) => {
    const started = Date.now();
    const built = await build();
    log(
      `${label} image ${built.cached ? 'cached' : 'built'} in ${Math.round((Date.now() - started) / 1000)}s`,
    );
    await importUnlessPresent(cluster, built, log);
    return built;
  };
  const app = await timed('app', () => buildAppImage({ log }));
  await timed('postgresql', () => buildPostgresImage(log));
  await timed('redis', () => buildRedisImage(log));
  const tools = await ensureObservabilityBinaries({ log });
  const otelcol = await timed('otelcol', () => buildObservabilityImage('otelcol', tools.otelcol));
  const prometheus = await timed('prometheus', () =>
    buildObservabilityImage('prometheus', tools.prometheus),
  );
  return {
    appTag: app.tag,
    postgresImage,
    redisImage,
    otelcolImage: otelcol.image,
    prometheusImage: prometheus.image,
  };
}

/**
 * Builds (or finds in the cache) the image archives that need no Kubernetes tool and no cluster:
 * the node's pause image, the app, PostgreSQL and Redis. `.ci/run` builds them while the
 * cluster's tools are still compiling; the cluster stage then finds them cached.
 */
export async function buildImageArchives(options: { log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const timed = async (label: string, build: () => Promise<BuiltArchive>) => {
    const started = Date.now();
    const built = await build();
    const seconds = Math.round((Date.now() - started) / 1000);
    log(`${label} image ${built.cached ? 'cached' : 'built'} in ${seconds}s`);
  };
  await timed('pause', buildPauseImage);
  await timed('app', () => buildAppImage({ log }));
  await timed('postgresql', () => buildPostgresImage(log));
  await timed('redis', () => buildRedisImage(log));
}
