#!/usr/bin/env node
// `npm test`: makes sure PostgreSQL and Redis answer (starting them when they are installed but
// stopped), then runs every test with Vitest. Extra arguments go to Vitest.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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
// `npm run cluster:up`). On a machine that lacks them the build starts here, in the background,
// and the suite starts at once: the files that need the tools form the Vitest project
// `kubernetes`, which runs after all the others and waits for the build
// (test/support/kubernetes-tools.setup.ts). A machine that has them finds them in a second.
// The build's progress goes to a log file; its start, its end and any failure are printed.
function buildKubeToolsInBackground() {
  const log = join(tmpdir(), `expe-kube-tools-${process.pid}.log`);
  const out = openSync(log, 'w');
  const build = spawn(
    'node',
    [
      '--conditions=@expe/source',
      '--import',
      'tsx',
      'packages/kube-harness/src/cli.ts',
      'build',
      'tests',
    ],
    {
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` },
      // A process group of its own, so that the whole build (go and its compilers) can be ended.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let started = false;
  createInterface({ input: build.stderr }).on('line', (line) => {
    writeSync(out, `${line}\n`);
    // Once: a build waiting on another's lock says so again at every poll.
    if (!started && line.includes(' building ')) {
      started = true;
      console.log(`${line} — in the background while the other tests run (log: ${log})`);
    }
  });
  const finished = new Promise((resolve) => build.on('close', (code) => resolve(code)));
  finished.then((code) => {
    if (code === 0 && started) console.log('[test] the Kubernetes tools are built');
    if (code === 0 && !started) rmSync(log, { force: true });
    if (code !== 0 && code !== null) {
      console.error(
        `[test] building the Kubernetes tools failed; the Kubernetes tests will say why (log: ${log})`,
      );
    }
  });
  return {
    /** Ends the build if it still runs (a run of a few files that do not need the tools). */
    stop() {
      if (build.exitCode !== null || build.signalCode !== null) return;
      try {
        process.kill(-build.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
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
const tools = buildKubeToolsInBackground();
const vitest = spawn('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches Vitest from the terminal (the same process group); the build, in a group of its
// own, is ended here. SIGTERM is sent to this process alone, so it is passed on.
process.on('SIGINT', () => tools.stop());
process.on('SIGTERM', () => {
  tools.stop();
  vitest.kill('SIGTERM');
});
const status = await new Promise((resolve) => vitest.on('close', (code) => resolve(code)));
tools.stop();
process.exit(status ?? 1);
