#!/usr/bin/env node
// `npm test`: makes sure PostgreSQL and Redis answer (starting them when they are installed but
// stopped), then runs every test with Vitest. Extra arguments go to Vitest.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

const pgUrl = new URL(
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
);
const redisUrl = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');

function canConnect(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host, port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await canConnect(host, port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

async function ensurePostgres() {
  const { hostname, port = '5432' } = pgUrl;
  if (await canConnect(hostname, port || 5432)) return;
  if (has('pg_ctlcluster') && existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      console.log(`[test] starting PostgreSQL ${version}`);
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'inherit',
      });
    }
    if (await waitFor(hostname, port || 5432, 20)) return;
  }
  fail(
    `PostgreSQL is not reachable at ${hostname}:${port || 5432}.`,
    'Install it with: sudo apt-get install -y postgresql  (trust auth for user postgres on 127.0.0.1), or set TEST_DATABASE_URL.',
  );
}

async function ensureRedis() {
  const { hostname, port = '6379' } = redisUrl;
  if (await canConnect(hostname, port || 6379)) return;
  if (has('redis-server')) {
    console.log('[test] starting redis-server');
    execFileSync('redis-server', [
      '--daemonize',
      'yes',
      '--bind',
      '127.0.0.1',
      '--port',
      String(port || 6379),
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    if (await waitFor(hostname, port || 6379, 10)) return;
  }
  fail(
    `Redis is not reachable at ${hostname}:${port || 6379}.`,
    'Install it with: sudo apt-get install -y redis-server, or set TEST_REDIS_URL.',
  );
}

function fail(problem, fix) {
  console.error(`[test] ${problem}\n[test] ${fix}`);
  process.exit(1);
}

// The Kubernetes tests need kube-apiserver, etcd, kubectl and helm built from Go modules (the
// `tests` set; the one-node cluster's other tools are built by `npm run kube:tools` or
// `npm run cluster:up`). The first build takes a long while (printed as it goes); later runs find
// them cached at once.
function ensureKubeTools() {
  const env = { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` };
  if (spawnSync('sh', ['-c', 'command -v go'], { env }).status !== 0) {
    fail(
      'Go is not installed: the Kubernetes tests build kube-apiserver, etcd, kubectl and helm from Go modules.',
      'Install Go 1.24 or newer (on PATH or in /usr/local/go), then run npm test again.',
    );
  }
  const result = spawnSync(
    'node',
    [
      '--conditions=@expe/source',
      '--import',
      'tsx',
      'packages/kube-harness/src/cli.ts',
      'build',
      'tests',
    ],
    { stdio: 'inherit', env },
  );
  if (result.status !== 0)
    fail(
      'Building the Kubernetes test tools failed (see above).',
      'Fix the error and run npm test again.',
    );
}

function ensureChromium() {
  if (existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) return;
  fail(
    "Chromium is not installed: the web app's browser tests drive Debian's Chromium.",
    'Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH).',
  );
}

await ensurePostgres();
await ensureRedis();
ensureChromium();
ensureKubeTools();
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
