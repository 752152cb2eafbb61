import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { run } from '../commands.js';

/** The part of an OCI/Docker image config a container runtime reads. */
export interface ImageRuntimeConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
}

export interface ArchiveImage {
  /** Names as `ctr images import` will register them, e.g. `expe-gateway:1a2b3c`. */
  repoTags: string[];
  config: ImageRuntimeConfig;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A reproducible tar of a root filesystem (sorted, numeric owners kept, fixed mtime). */
export async function tarDirectory(rootfs: string, output: string): Promise<void> {
  await run('tar', [
    '--create',
    '--file',
    output,
    '--directory',
    rootfs,
    '--numeric-owner',
    '--sort=name',
    '--mtime=@0',
    '--xattrs',
    '.',
  ]);
}

/**
 * Writes a docker-archive (what `docker save` writes: layer tars, one config JSON per image,
 * manifest.json) that `ctr images import` loads without a registry or an image builder. Every
 * image in the archive shares the given layers and differs only in its config (Cmd, User, …),
 * as the Dockerfile's per-service targets share its runtime stage.
 */
export async function writeDockerArchive(
  output: string,
  rootfsDirectories: readonly string[],
  images: readonly ArchiveImage[],
): Promise<void> {
  await mkdir(dirname(output), { recursive: true });
  const work = await mkdtemp(join(dirname(output), '.archive-'));
  try {
    const layers: { digest: string; file: string }[] = [];
    for (const [index, rootfs] of rootfsDirectories.entries()) {
      const staged = join(work, `layer-${index}.tar`);
      await tarDirectory(rootfs, staged);
      const digest = await sha256File(staged);
      await mkdir(join(work, digest), { recursive: true });
      await rename(staged, join(work, digest, 'layer.tar'));
      layers.push({ digest, file: `${digest}/layer.tar` });
    }
    const manifest = [];
    const entries = new Set<string>(layers.map((layer) => layer.digest));
    for (const image of images) {
      const config = JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        created: '1970-01-01T00:00:00Z',
        config: image.config,
        rootfs: { type: 'layers', diff_ids: layers.map((layer) => `sha256:${layer.digest}`) },
        history: layers.map(() => ({
          created: '1970-01-01T00:00:00Z',
          created_by: '@expe/kube-harness',
        })),
      });
      const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
      await writeFile(join(work, configName), config);
      entries.add(configName);
      manifest.push({
        Config: configName,
        RepoTags: image.repoTags,
        Layers: layers.map((layer) => layer.file),
      });
    }
    await writeFile(join(work, 'manifest.json'), JSON.stringify(manifest));
    const partial = `${output}.partial-${process.pid}`;
    await run('tar', [
      '--create',
      '--file',
      partial,
      '--directory',
      work,
      'manifest.json',
      ...entries,
    ]);
    await rename(partial, output);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
