/**
 * The cluster's images, built without a registry or a container engine: a root filesystem in a
 * directory, written as a docker-archive and loaded with `ctr images import`. Each archive is
 * cached under `imagesDirectory()` by a hash of its inputs, so a second run only imports.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  chmod,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { run } from '../commands.js';
import { imagesDirectory } from '../cluster/layout.js';
import { coreDnsImage, pauseImage } from '../cluster/node-config.js';
import { repositoryRoot } from '../paths.js';
import { writeDockerArchive, type ImageRuntimeConfig } from './docker-archive.js';

export interface BuiltArchive {
  /** The docker-archive tarball. */
  archive: string;
  /** Every name it registers. */
  names: string[];
  /** Whether it came from the cache. */
  cached: boolean;
}

type Log = (line: string) => void;

const exists = (path: string) =>
  access(path, constants.F_OK).then(
    () => true,
    () => false,
  );

function hashOf(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** Runs `build` into a fresh directory unless the archive for `key` is already cached. */
export async function cachedArchive(
  name: string,
  key: string,
  names: string[],
  build: (archive: string) => Promise<void>,
): Promise<BuiltArchive> {
  const archive = join(imagesDirectory(), `${name}-${key}.tar`);
  if (await exists(archive)) return { archive, names, cached: true };
  await mkdir(imagesDirectory(), { recursive: true });
  await build(archive);
  return { archive, names, cached: false };
}

export async function scratchDir(label: string): Promise<string> {
  await mkdir(imagesDirectory(), { recursive: true });
  return mkdtemp(join(imagesDirectory(), `.${label}-`));
}

/**
 * The sandbox ("pause") image: a static C program that sleeps until a signal, reaps the
 * children it inherits as PID 1 of the Pod, and exits on SIGTERM/SIGINT.
 */
const pauseSource = `#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) { (void)sig; _exit(0); }
static void reap(int sig) { (void)sig; while (waitpid(-1, NULL, WNOHANG) > 0) {} }

int main(void) {
  struct sigaction stop_action = { .sa_handler = stop };
  struct sigaction reap_action = { .sa_handler = reap, .sa_flags = SA_NOCLDSTOP };
  sigaction(SIGTERM, &stop_action, NULL);
  sigaction(SIGINT, &stop_action, NULL);
  sigaction(SIGCHLD, &reap_action, NULL);
  for (;;) pause();
  return 0;
}
`;

export async function buildPauseImage(): Promise<BuiltArchive> {
  return cachedArchive('pause', hashOf(pauseSource), [pauseImage], async (archive) => {
    const work = await scratchDir('pause');
    try {
      await writeFile(join(work, 'pause.c'), pauseSource);
      const rootfs = join(work, 'rootfs');
      await mkdir(rootfs);
      await run('gcc', [
        '-static',
        '-Os',
        '-s',
        '-o',
        join(rootfs, 'pause'),
        join(work, 'pause.c'),
      ]);
      await writeDockerArchive(
        archive,
        [rootfs],
        [{ repoTags: [pauseImage], config: { Entrypoint: ['/pause'], User: '65535:65535' } }],
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

/** CoreDNS: the statically linked binary alone. */
export async function buildCoreDnsImage(coredns: string): Promise<BuiltArchive> {
  const binary = await readFile(coredns);
  return cachedArchive('coredns', hashOf(binary), [coreDnsImage], async (archive) => {
    const work = await scratchDir('coredns');
    try {
      const rootfs = join(work, 'rootfs');
      await mkdir(rootfs);
      await copyFile(coredns, join(rootfs, 'coredns'));
      await chmod(join(rootfs, 'coredns'), 0o755);
      await writeDockerArchive(
        archive,
        [rootfs],
        [{ repoTags: [coreDnsImage], config: { Entrypoint: ['/coredns'] } }],
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

const instrumented = (main: string) => ['node', '--import', '@expe/server-kit/instrument', main];

/** The deployables of the app image and the command each runs (the Dockerfile's targets' CMD). */
export const appCommands: Record<string, string[]> = {
  gateway: instrumented('services/gateway/dist/main.js'),
  auth: instrumented('services/auth/dist/main.js'),
  merchants: instrumented('services/merchants/dist/main.js'),
  payments: instrumented('services/payments/dist/main.js'),
  webhooks: instrumented('services/webhooks/dist/main.js'),
  operator: ['node', 'operator/dist/main.js'],
};

/** Workspace folders with their built output (every entry of the root `workspaces`, minus web). */
async function workspaceDirectories(): Promise<string[]> {
  const dirs: string[] = [];
  for (const group of ['packages', 'services']) {
    for (const entry of await readdir(join(repositoryRoot, group))) {
      if (await exists(join(repositoryRoot, group, entry, 'package.json')))
        dirs.push(join(group, entry));
    }
  }
  dirs.push('operator');
  return dirs;
}

/** What the Dockerfile's `pruned` stage removes from each workspace. */
function isRuntimeFile(pathInWorkspace: string): boolean {
  const top = pathInWorkspace.split('/')[0] ?? '';
  return !(
    top === 'node_modules' ||
    top === 'src' ||
    top === 'test' ||
    /^tsconfig.*\.json$/.test(top) ||
    top.endsWith('.tsbuildinfo')
  );
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path, base)));
    else if (entry.isFile()) files.push(relative(base, path));
  }
  return files;
}

/** The host's Node.js and the shared libraries it links (ADR 0004). */
export async function nodeRuntimeFiles(node: string): Promise<string[]> {
  const { stdout } = await run('ldd', [node]);
  const libraries = [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((match) => match[1] as string);
  return [node, ...new Set(libraries)];
}

/**
 * One image with the layout of the Dockerfile's runtime stage: /app holding every workspace's
 * dist/ (and migrations, package.json), production node_modules only, Node.js from the host's
 * Debian package with its shared libraries, uid 1000. Tagged once per deployable with that
 * deployable's command, plus `expe-app` (plain `node`) for test Pods.
 */
export async function buildAppImage(
  options: { log?: Log; node?: string } = {},
): Promise<BuiltArchive & { tag: string }> {
  const log = options.log ?? (() => {});
  const node = options.node ?? '/usr/bin/node';
  log('compiling the workspaces (tsc -b)');
  await run(join(repositoryRoot, 'node_modules', '.bin', 'tsc'), ['-b'], { cwd: repositoryRoot });

  const workspaces = await workspaceDirectories();
  const inputs: string[] = ['package.json', 'package-lock.json'];
  for (const workspace of workspaces) {
    for (const file of await listFiles(join(repositoryRoot, workspace))) {
      if (isRuntimeFile(file)) inputs.push(join(workspace, file));
    }
  }
  inputs.push('web/package.json');
  inputs.sort();
  const hash = createHash('sha256');
  for (const file of inputs)
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(repositoryRoot, file)))
      .update('\0');
  const runtimeFiles = await nodeRuntimeFiles(node);
  for (const file of runtimeFiles) hash.update(file).update(await readFile(file));
  const tag = hash.digest('hex').slice(0, 12);

  const names = [
    ...Object.keys(appCommands).map((name) => `expe-${name}:${tag}`),
    `expe-app:${tag}`,
  ];
  const built = await cachedArchive('app', tag, names, async (archive) => {
    const work = await scratchDir('app');
    try {
      const rootfs = join(work, 'rootfs');
      const app = join(rootfs, 'app');
      log(`staging /app from ${inputs.length} files`);
      for (const file of inputs) {
        await mkdir(dirname(join(app, file)), { recursive: true });
        await copyFile(join(repositoryRoot, file), join(app, file));
      }
      log('npm ci --omit=dev --offline (production dependencies, from the npm cache)');
      const npmCi = (mode: '--offline' | '--prefer-offline') =>
        run('npm', ['ci', '--omit=dev', mode, '--no-audit', '--no-fund', '--loglevel=error'], {
          cwd: app,
          env: { ...process.env, NODE_ENV: 'production', npm_config_update_notifier: 'false' },
        });
      await npmCi('--offline').catch(async (error: unknown) => {
        // A lockfile entry the cache has not seen yet (a dependency just added): npm fetches
        // only what is missing, from the registry the lockfile names.
        if (!String(error).includes('ENOTCACHED')) throw error;
        log('a dependency is not in the npm cache: npm ci --prefer-offline');
        await npmCi('--prefer-offline');
      });
      // The Dockerfile drops the web app from the runtime image (nginx serves it).
      await rm(join(app, 'web'), { recursive: true, force: true });

      for (const file of runtimeFiles) {
        await mkdir(join(rootfs, dirname(file)), { recursive: true });
        await cp(file, join(rootfs, file), { dereference: true });
      }
      await mkdir(join(rootfs, 'etc'), { recursive: true });
      await writeFile(
        join(rootfs, 'etc', 'passwd'),
        'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n',
      );
      await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
      await writeFile(
        join(rootfs, 'etc', 'nsswitch.conf'),
        'hosts: files dns\npasswd: files\ngroup: files\n',
      );
      await mkdir(join(rootfs, 'tmp'));
      await chmod(join(rootfs, 'tmp'), 0o1777);
      await mkdir(join(rootfs, 'home', 'node'), { recursive: true });
      await run('chown', ['1000:1000', join(rootfs, 'home', 'node')]);

      const env = ['PATH=/usr/local/bin:/usr/bin:/bin', 'NODE_ENV=production'];
      const common = { Env: env, User: '1000:1000', WorkingDir: '/app' };
      log('writing the docker-archive');
      await writeDockerArchive(
        archive,
        [rootfs],
        [
          ...Object.entries(appCommands).map(([name, command]) => ({
            repoTags: [`expe-${name}:${tag}`],
            config: { ...common, Cmd: command },
          })),
          { repoTags: [`expe-app:${tag}`], config: { ...common, Cmd: ['node'] } },
        ],
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
  if (!built.cached) {
    // Every source change makes a new app image: keep only the latest on disk.
    for (const file of await readdir(imagesDirectory())) {
      if (/^app-[0-9a-f]+\.tar$/.test(file) && file !== `app-${tag}.tar`) {
        await rm(join(imagesDirectory(), file), { force: true });
      }
    }
  }
  return { ...built, tag };
}

/**
 * PostgreSQL's entrypoint, doing what the official image's does with the variables the chart
 * sets (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA): initialise an empty data
 * directory once, then run the server on every address with password authentication.
 */
const postgresEntrypoint = [
  '#!/bin/sh',
  'set -eu',
  ': "${PGDATA:=/var/lib/postgresql/data}"',
  ': "${POSTGRES_USER:=postgres}"',
  ': "${POSTGRES_DB:=$POSTGRES_USER}"',
  'if [ ! -s "$PGDATA/PG_VERSION" ]; then',
  '  mkdir -p "$PGDATA"',
  '  chmod 700 "$PGDATA"',
  '  pwfile=$(mktemp)',
  '  printf \'%s\\n\' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" > "$pwfile"',
  '  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 \\',
  '    --auth-local=trust --auth-host=scram-sha-256',
  '  rm -f "$pwfile"',
  '  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"',
  '  pg_ctl -D "$PGDATA" -o "-c listen_addresses=\'\'" -w start',
  '  if [ "$POSTGRES_DB" != postgres ]; then',
  '    psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE \\"$POSTGRES_DB\\""',
  '  fi',
  '  pg_ctl -D "$PGDATA" -m fast -w stop',
  'fi',
  'exec postgres -D "$PGDATA" -c listen_addresses=\'*\'',
  '',
].join('\n');

const debianSuite = 'bookworm';
const debianMirror = 'http://deb.debian.org/debian';

/** Runs a shell script chrooted into `rootfs`, with /proc mounted in a private mount namespace. */
async function inChroot(rootfs: string, script: string) {
  await run(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount -t proc proc "$1/proc" && chroot "$1" /bin/sh -c "$2"',
      'expe-chroot',
      rootfs,
      script,
    ],
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' } },
  );
}

/** `debootstrap --variant=minbase` once, cached as a directory copied for each image. */
export async function debianBase(log: Log): Promise<string> {
  const base = join(imagesDirectory(), `debian-${debianSuite}-minbase`);
  if (await exists(join(base, '.complete'))) return base;
  await rm(base, { recursive: true, force: true });
  log(`debootstrap --variant=minbase ${debianSuite} (from ${debianMirror}, the mirror apt uses)`);
  await run('debootstrap', ['--variant=minbase', debianSuite, base, debianMirror]);
  // Services never start inside the build.
  await writeFile(join(base, 'usr', 'sbin', 'policy-rc.d'), '#!/bin/sh\nexit 101\n', {
    mode: 0o755,
  });
  await writeFile(join(base, '.complete'), '');
  return base;
}

interface DebianImage {
  name: string;
  /** Shell run in the chroot (users first, then apt-get install). */
  script: string;
  repoTag: string;
  config: ImageRuntimeConfig;
  extraFiles?: Record<string, { content: string; mode: number }>;
}

async function buildDebianImage(image: DebianImage, log: Log): Promise<BuiltArchive> {
  const key = hashOf(
    debianSuite,
    image.script,
    JSON.stringify(image.config),
    JSON.stringify(image.extraFiles ?? {}),
  );
  return cachedArchive(image.name, key, [image.repoTag], async (archive) => {
    const base = await debianBase(log);
    const work = await scratchDir(image.name);
    try {
      const rootfs = join(work, 'rootfs');
      await run('cp', ['-a', base, rootfs]);
      await rm(join(rootfs, '.complete'), { force: true });
      log(`${image.name}: apt-get install in the Debian root filesystem`);
      await inChroot(
        rootfs,
        `set -e; ${image.script}; apt-get clean; rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log /var/log/apt`,
      );
      for (const [path, file] of Object.entries(image.extraFiles ?? {})) {
        await mkdir(dirname(join(rootfs, path)), { recursive: true });
        await writeFile(join(rootfs, path), file.content, { mode: file.mode });
      }
      await rm(join(rootfs, 'usr', 'sbin', 'policy-rc.d'), { force: true });
      await writeDockerArchive(
        archive,
        [rootfs],
        [{ repoTags: [image.repoTag], config: image.config }],
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}

export const postgresImage = 'expe.local/postgresql:15-bookworm';
export const redisImage = 'expe.local/redis:7-bookworm';

/** PostgreSQL 15 from Debian, postgres as uid 70 (the chart's runAsUser, as in the Alpine image). */
export function buildPostgresImage(log: Log = () => {}): Promise<BuiltArchive> {
  return buildDebianImage(
    {
      name: 'postgresql',
      repoTag: postgresImage,
      script: [
        'groupadd --gid 70 postgres',
        'useradd --uid 70 --gid 70 --home-dir /var/lib/postgresql --shell /bin/sh postgres',
        'apt-get update -qq',
        'apt-get install -y -qq --no-install-recommends postgresql-15',
        // No cluster of Debian's own: the entrypoint initialises PGDATA.
        'rm -rf /var/lib/postgresql/15 /etc/postgresql/15',
        'mkdir -p /var/lib/postgresql/data /var/run/postgresql',
        'chown -R 70:70 /var/lib/postgresql /var/run/postgresql',
      ].join(' && '),
      extraFiles: {
        'usr/local/bin/expe-postgres-entrypoint': { content: postgresEntrypoint, mode: 0o755 },
      },
      config: {
        Entrypoint: ['/usr/local/bin/expe-postgres-entrypoint'],
        Env: [
          'PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin',
          'PGDATA=/var/lib/postgresql/data',
          'LANG=C.UTF-8',
        ],
        User: '70:70',
        ExposedPorts: { '5432/tcp': {} },
      },
    },
    log,
  );
}

/** Redis 7 from Debian, redis as uid 999 (the chart's runAsUser, as in the official image). */
export function buildRedisImage(log: Log = () => {}): Promise<BuiltArchive> {
  return buildDebianImage(
    {
      name: 'redis',
      repoTag: redisImage,
      script: [
        'groupadd --system --gid 999 redis',
        'useradd --system --uid 999 --gid 999 --home-dir /var/lib/redis --shell /usr/sbin/nologin redis',
        'apt-get update -qq',
        'apt-get install -y -qq --no-install-recommends redis-server',
        'mkdir -p /data && chown 999:999 /data',
      ].join(' && '),
      config: {
        Cmd: ['redis-server', '--protected-mode', 'no'],
        Env: ['PATH=/usr/local/bin:/usr/bin:/bin'],
        User: '999:999',
        WorkingDir: '/data',
        ExposedPorts: { '6379/tcp': {} },
      },
    },
    log,
  );
}

export async function archiveSize(archive: string): Promise<number> {
  return (await stat(archive)).size;
}
