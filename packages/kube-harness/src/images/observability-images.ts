/**
 * The images of the cluster's OpenTelemetry Collector and Prometheus: each statically linked
 * binary alone (built from Go modules, observability-tools.ts), like CoreDNS. The tag carries
 * the tool's version and a hash of the binary, so a rebuilt tool is imported anew.
 */
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { observabilityVersions, type ObservabilityTool } from '../observability-tools.js';
import { writeDockerArchive, type ImageRuntimeConfig } from './docker-archive.js';
import { cachedArchive, scratchDir, type BuiltArchive } from './images.js';

const runtime: Record<ObservabilityTool, ImageRuntimeConfig> = {
  otelcol: {
    Entrypoint: ['/otelcol'],
    User: '65534:65534',
    ExposedPorts: { '4317/tcp': {}, '4318/tcp': {} },
  },
  prometheus: {
    Entrypoint: ['/prometheus'],
    User: '65534:65534',
    WorkingDir: '/prometheus-data',
    ExposedPorts: { '9090/tcp': {} },
  },
};

export async function buildObservabilityImage(
  tool: ObservabilityTool,
  binaryPath: string,
): Promise<BuiltArchive & { image: string }> {
  const binary = await readFile(binaryPath);
  const hash = createHash('sha256').update(binary).digest('hex').slice(0, 12);
  const image = `expe.local/${tool}:${observabilityVersions[tool]}-${hash}`;
  const built = await cachedArchive(tool, hash, [image], async (archive) => {
    const work = await scratchDir(tool);
    try {
      const rootfs = join(work, 'rootfs');
      await mkdir(rootfs);
      await copyFile(binaryPath, join(rootfs, tool));
      await chmod(join(rootfs, tool), 0o755);
      await writeDockerArchive(archive, [rootfs], [{ repoTags: [image], config: runtime[tool] }]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  return { ...built, image };
}
