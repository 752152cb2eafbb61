/**
 * The Tilt dev image for the built-in cluster (the Tiltfile's custom_build): what the
 * Dockerfile's `dev` target holds — every dependency, dev ones included, and the TypeScript
 * sources under /app, owned by uid 1000 — on a Debian root filesystem, because Tilt's live update
 * copies files with `tar` through `kubectl exec` and the web app's dev server runs through `npm`.
 * Node.js is the host's, as in the app image (docs/adr/0004-cluster-images-without-a-registry.md).
 * One archive serves every deployable; the Tiltfile's command imports it under the name Tilt
 * expects ($EXPECTED_REF).
 */
import { createHash } from 'node:crypto';
import { cp, lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Cluster } from '../cluster/cluster.js';
import { imagesDirectory } from '../cluster/layout.js';
import { run } from '../commands.js';
import { withFileLock } from '../file-lock.js';
import { repositoryRoot } from '../paths.js';
import { writeDockerArchive } from './docker-archive.js';
import { containerdName, importUnlessPresent } from './import-images.js';
import {
  buildPostgresImage,
  buildRedisImage,
  cachedArchive,
  debianBase,
  nodeRuntimeFiles,
  scratchDir,
  type BuiltArchive,
} from './images.js';

type Log = (line: string) => void;

/** The build context of the Dockerfile's `dev` stage: the working tree less .dockerignore. */
async function contextFiles(): Promise<string[]> {
  const { stdout } = await run(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '.'],
    { cwd: repositoryRoot },
  );
  return stdout
    .split('\0')
    .filter(Boolean)
    .filter(
      (file) =>
        !/(^|\/)(node_modules|dist)(\/|$)/.test(file) &&
        !file.endsWith('.tsbuildinfo') &&
        !/(^|\/)\.env(\.|$)/.test(file),
    )
    .sort();
}

export async function buildDevImage(
  options: { log?: Log; node?: string } = {},
): Promise<BuiltArchive & { name: string }> {
  const log = options.log ?? (() => {});
  const node = options.node ?? '/usr/bin/node';
  const npm = '/usr/lib/node_modules/npm';
  const files: string[] = [];
  for (const file of await contextFiles()) {
    // A file git knows but the working tree lost (deleted, not yet committed) is not in it.
    const content = await readFile(join(repositoryRoot, file)).catch(() => undefined);
    if (content !== undefined) files.push(file);
  }
  const hash = createHash('sha256').update('expe-dev 1\0');
  for (const file of files) {
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(repositoryRoot, file)))
      .update('\0');
  }
  const runtimeFiles = await nodeRuntimeFiles(node);
  for (const file of runtimeFiles) hash.update(file).update(await readFile(file));
  hash.update(await readFile(join(npm, 'package.json')));
  const tag = hash.digest('hex').slice(0, 12);
  const name = `expe-dev:${tag}`;

  const built = await cachedArchive('dev', tag, [name], async (archive) => {
    const base = await debianBase(log);
    const work = await scratchDir('dev');
    try {
      const rootfs = join(work, 'rootfs');
      await run('cp', ['-a', base, rootfs]);
      await rm(join(rootfs, '.complete'), { force: true });
      await rm(join(rootfs, 'usr', 'sbin', 'policy-rc.d'), { force: true });
      // Node.js and the libraries it links; Debian's root already has glibc and libstdc++ of the
      // same release (the host is Debian 12, its Node.js package is built for it) and keeps its own.
      for (const file of runtimeFiles) {
        if (await lstat(join(rootfs, file)).catch(() => undefined)) continue;
        await mkdir(join(rootfs, dirname(file)), { recursive: true });
        await cp(file, join(rootfs, file), { dereference: true });
      }
      await cp(npm, join(rootfs, npm), { recursive: true });
      await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/bin/npm'));
      await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/bin/npx'));

      const app = join(rootfs, 'app');
      log(`staging /app from ${files.length} files`);
      for (const file of files) {
        await mkdir(dirname(join(app, file)), { recursive: true });
        await cp(join(repositoryRoot, file), join(app, file));
      }
      log('npm ci --offline (every dependency, dev ones included, from the npm cache)');
      const npmCi = (mode: '--offline' | '--prefer-offline') =>
        run('npm', ['ci', mode, '--no-audit', '--no-fund', '--loglevel=error'], {
          cwd: app,
          env: { ...process.env, NODE_ENV: 'development', npm_config_update_notifier: 'false' },
        });
      await npmCi('--offline').catch(async (error: unknown) => {
        if (!String(error).includes('ENOTCACHED')) throw error;
        log('a dependency is not in the npm cache: npm ci --prefer-offline');
        await npmCi('--prefer-offline');
      });

      // The node user of the official image (uid 1000) owns /app, so synced files can replace it.
      await writeFile(
        join(rootfs, 'etc/passwd'),
        `${(await readFile(join(rootfs, 'etc/passwd'), 'utf8')).trimEnd()}\nnode:x:1000:1000:node:/home/node:/bin/sh\n`,
      );
      await writeFile(
        join(rootfs, 'etc/group'),
        `${(await readFile(join(rootfs, 'etc/group'), 'utf8')).trimEnd()}\nnode:x:1000:\n`,
      );
      await mkdir(join(rootfs, 'home/node'), { recursive: true });
      await run('chown', ['-R', '1000:1000', app, join(rootfs, 'home/node')]);

      log('writing the docker-archive');
      await writeDockerArchive(
        archive,
        [rootfs],
        [
          {
            repoTags: [name],
            config: {
              Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=development'],
              User: '1000:1000',
              WorkingDir: '/app',
              // The Tiltfile's entrypoint replaces this, as with the Dockerfile's dev target.
              Cmd: ['node', '--version'],
            },
          },
        ],
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  if (!built.cached) {
    // Any change to the working tree makes a new dev image: keep only the latest on disk.
    for (const file of await readdir(imagesDirectory())) {
      if (/^dev-[0-9a-f]+\.tar$/.test(file) && file !== `dev-${tag}.tar`) {
        await rm(join(imagesDirectory(), file), { force: true });
      }
    }
  }
  return { ...built, name };
}

/**
 * Builds (or finds) the dev image, imports it into the node's containerd and names it `ref`
 * (Tilt's $EXPECTED_REF, e.g. `expe-gateway:tilt-build-1733540000`).
 */
export async function importDevImage(
  cluster: Cluster,
  ref: string,
  options: { log?: Log } = {},
): Promise<string> {
  const log = options.log ?? (() => {});
  // Tilt runs several custom_builds at once; they all need this one image: build it once.
  const built = await withFileLock(
    join(imagesDirectory(), '.dev-image.lock'),
    async () => {
      const image = await buildDevImage({ log });
      await importUnlessPresent(cluster, image, log);
      return image;
    },
    (owner) => log(`waiting for process ${owner}, which builds the dev image`),
  );
  await cluster.ctr(['images', 'tag', '--force', containerdName(built.name), containerdName(ref)]);
  return containerdName(ref);
}

/** PostgreSQL and Redis from Debian packages, imported (the Tiltfile's data-images resource). */
export async function importDataImages(cluster: Cluster, options: { log?: Log } = {}) {
  const log = options.log ?? (() => {});
  for (const build of [buildPostgresImage, buildRedisImage]) {
    await importUnlessPresent(cluster, await build(log), log);
  }
}
