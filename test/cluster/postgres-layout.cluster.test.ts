import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPostgresImage, recycleVolumes, run } from '@expe/kube-harness';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeDockerArchive } from '../../packages/kube-harness/src/images/docker-archive.js';
import { cluster, kubectlJson, preparedCharts, waitFor } from './support.js';

/**
 * The chart's default in-cluster PostgreSQL (postgresql.image postgres:16-alpine, uid 70, a
 * read-only root, PGDATA=/var/lib/postgresql/data/pgdata on the volume, emptyDirs for the socket
 * directory and /tmp) with an image of the official image's layout, since nothing can be pulled
 * here: the official 16/alpine entrypoint scripts (docker-library/postgres, commit
 * 6edb0a8c4def40c371514b34aef9037ec82d9110, MIT; in fixtures/postgres-16-alpine), the postgres
 * user as uid 70 with home /var/lib/postgresql, /var/run/postgresql 3777 and PGDATA 1777 owned
 * by it, /docker-entrypoint-initdb.d, the server binaries on PATH in /usr/local/bin,
 * listen_addresses='*' in the sample configuration, ENTRYPOINT docker-entrypoint.sh, CMD
 * postgres, and no USER (root, as the official image: the chart's runAsUser makes it 70). The
 * binaries are Debian bookworm's PostgreSQL 15 (the harness's PostgreSQL image: Debian packages
 * only) and LANG is C.UTF-8 (Alpine's en_US.utf8 is no glibc locale). Installed with every other
 * postgresql value at the chart's default, in a namespace that enforces Pod Security
 * "restricted".
 */
const images = inject('clusterImages');
const ns = 'expe-postgres-layout';
const release = 'pglayout';
const layoutImage = 'expe.local/postgres:16-alpine-layout';
const fixtures = fileURLToPath(new URL('fixtures/postgres-16-alpine/', import.meta.url));
const pod = `${release}-postgresql-0`;
let charts: Awaited<ReturnType<typeof preparedCharts>>;

/** The harness's PostgreSQL image rearranged into the official image's layout, imported into the node. */
async function buildLayoutImage() {
  const base = await buildPostgresImage();
  const work = await mkdtemp(join(tmpdir(), 'expe-pg-layout-'));
  try {
    const unpacked = join(work, 'archive');
    const rootfs = join(work, 'rootfs');
    await mkdir(unpacked);
    await mkdir(rootfs);
    await run('tar', ['-xf', base.archive, '-C', unpacked]);
    const [manifest] = JSON.parse(await readFile(join(unpacked, 'manifest.json'), 'utf8'));
    for (const layer of manifest.Layers as string[]) {
      await run('tar', [
        '-xf',
        join(unpacked, layer),
        '-C',
        rootfs,
        '--numeric-owner',
        '--same-permissions',
      ]);
    }
    const bin = join(rootfs, 'usr/local/bin');
    await mkdir(bin, { recursive: true });
    for (const script of ['docker-entrypoint.sh', 'docker-ensure-initdb.sh']) {
      await copyFile(join(fixtures, script), join(bin, script));
      await chmod(join(bin, script), 0o755);
    }
    await symlink('docker-ensure-initdb.sh', join(bin, 'docker-enforce-initdb.sh'));
    for (const binary of await readdir(join(rootfs, 'usr/lib/postgresql/15/bin'))) {
      await symlink(`/usr/lib/postgresql/15/bin/${binary}`, join(bin, binary));
    }
    // Debian's /var/run is a link to /run: never follow it out of the root filesystem.
    const varRun = (await lstat(join(rootfs, 'var/run'))).isSymbolicLink() ? 'run' : 'var/run';
    for (const [dir, mode] of [
      [`${varRun}/postgresql`, '3777'],
      ['var/lib/postgresql/data', '1777'],
    ] as const) {
      await mkdir(join(rootfs, dir), { recursive: true });
      await run('chown', ['70:70', join(rootfs, dir)]);
      await run('chmod', [mode, join(rootfs, dir)]);
    }
    await mkdir(join(rootfs, 'docker-entrypoint-initdb.d'), { recursive: true });
    const sample = join(rootfs, 'usr/share/postgresql/15/postgresql.conf.sample');
    const conf = await readFile(sample, 'utf8');
    await writeFile(sample, conf.replace(/^#?(listen_addresses)\s*=\s*\S+.*$/m, "$1 = '*'"));
    await rm(join(rootfs, 'usr/local/bin/expe-postgres-entrypoint'), { force: true });

    const archive = join(work, 'postgres-layout.tar');
    await writeDockerArchive(
      archive,
      [rootfs],
      [
        {
          repoTags: [layoutImage],
          config: {
            Entrypoint: ['docker-entrypoint.sh'],
            Cmd: ['postgres'],
            Env: [
              'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
              'LANG=C.UTF-8',
              'PG_MAJOR=16',
              'PGDATA=/var/lib/postgresql/data',
            ],
            ExposedPorts: { '5432/tcp': {} },
          },
        },
      ],
    );
    await (await cluster()).importImage(archive);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const exec = async (command: string, options: { allowFailure?: boolean } = {}) =>
  (await cluster()).kubectl(
    ['-n', ns, 'exec', pod, '-c', 'postgresql', '--', 'sh', '-c', command],
    options,
  );

/** The Pod's own address: the official pg_hba.conf trusts 127.0.0.1; other hosts need the password. */
async function podIp(): Promise<string> {
  return (await kubectlJson(['-n', ns, 'get', 'pod', pod])).status.podIP;
}

async function postgresPassword(): Promise<string> {
  const secret = await kubectlJson(['-n', ns, 'get', 'secret', `${release}-secrets`]);
  return Buffer.from(secret.data.POSTGRES_PASSWORD, 'base64').toString('utf8');
}

async function waitReady() {
  await waitFor(
    `${pod} ready`,
    async () => {
      const current = await kubectlJson(['-n', ns, 'get', 'pod', pod]);
      return current.status?.conditions?.some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      );
    },
    300_000,
    1000,
  );
}

beforeAll(async () => {
  const { kubectl } = await cluster();
  [charts] = await Promise.all([preparedCharts(), buildLayoutImage()]);
  await kubectl(['create', 'namespace', ns]);
  await kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
});

afterAll(async () => {
  const c = await cluster();
  await c.helm(['uninstall', release, '--namespace', ns, '--wait'], { allowFailure: true });
  await c.kubectl(['delete', 'namespace', ns, '--wait=true'], { allowFailure: true });
  await recycleVolumes(c);
  await charts?.remove();
});

describe('the in-cluster PostgreSQL with the official image layout', () => {
  it('when the chart installs it with its default settings in a restricted namespace, then the official entrypoint initialises PGDATA as uid 70 on a read-only root and serves password logins', async () => {
    const { helm } = await cluster();
    const off = ['gateway', 'auth', 'merchants', 'payments', 'webhooks', 'web'].flatMap((s) => [
      '--set',
      `${s}.enabled=false`,
    ]);
    await helm([
      'install',
      release,
      `${charts.dir}/expe`,
      '--namespace',
      ns,
      '--set',
      'global.image.pullPolicy=Never',
      '--set',
      `global.image.tag=${images.appTag}`,
      '--set',
      `postgresql.image=${layoutImage}`,
      '--set',
      `redis.image=${images.redisImage}`,
      ...off,
      '--wait',
      '--timeout',
      '8m',
    ]);
    await waitReady();

    const logs = (await (await cluster()).kubectl(['-n', ns, 'logs', pod, '-c', 'postgresql']))
      .stdout;
    expect(logs).toContain('PostgreSQL init process complete; ready for start up.');
    const facts = (
      await exec(
        'id -u; echo "$PGDATA"; stat -c %u:%a "$PGDATA"; cat "$PGDATA/PG_VERSION"; stat -c %a /var/run/postgresql',
      )
    ).stdout.split('\n');
    expect(facts.slice(0, 3)).toEqual(['70', '/var/lib/postgresql/data/pgdata', '70:700']);
    expect(facts[3]).toMatch(/^\d+$/);
    const readOnly = await exec('touch /usr/local/bin/x', { allowFailure: true });
    expect(readOnly.exitCode).not.toBe(0);
    expect(readOnly.stderr).toMatch(/Read-only file system/);

    const password = await postgresPassword();
    const host = await podIp();
    const sql = (statement: string, secret = password) =>
      exec(
        `PGPASSWORD='${secret}' psql -h ${host} -U expe -d expe -v ON_ERROR_STOP=1 -tAc "${statement}"`,
        {
          allowFailure: true,
        },
      );
    const login = await sql('select current_user');
    expect(login.stdout.trim()).toBe('expe');
    const wrong = await sql('select 1', 'not-the-password');
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/password authentication failed/);
    expect((await sql('create table kept (id int); insert into kept values (42)')).exitCode).toBe(
      0,
    );
  });

  it('when the Pod is replaced, then the entrypoint finds the database on the volume and skips initialisation', async () => {
    const { kubectl } = await cluster();
    const before = (await kubectlJson(['-n', ns, 'get', 'pod', pod])).metadata.uid;
    await kubectl(['-n', ns, 'delete', 'pod', pod, '--wait=true']);
    await waitFor(
      'a new Pod',
      async () => (await kubectlJson(['-n', ns, 'get', 'pod', pod])).metadata.uid !== before,
    );
    await waitReady();

    const logs = (await kubectl(['-n', ns, 'logs', pod, '-c', 'postgresql'])).stdout;
    expect(logs).toContain('Skipping initialization');
    const password = await postgresPassword();
    const kept = await exec(
      `PGPASSWORD='${password}' psql -h ${await podIp()} -U expe -d expe -tAc "select id from kept"`,
    );
    expect(kept.stdout.trim()).toBe('42');
  });
});
