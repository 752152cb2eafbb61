// `npm start`: the whole platform on one machine, each service in a process of its own (as
// Kubernetes runs them), behind the gateway on :4000.
// Database: DATABASE_URL when set; else a private PostgreSQL cluster under .expe/postgres when
// the PostgreSQL server is installed; else the embedded PGlite under .expe/pgdata, which lives
// inside one process, so then every service runs in this one process. Redis: REDIS_URL when
// set, else a private redis-server child when it is installed, else Redis's parts (queues,
// caches, rate limits, pub/sub) embedded in this one process, in memory. Secrets are generated
// once into .expe/secrets.json.
// EXPE_TOPOLOGY=single runs every service in this one process on the same database as above:
// the composition changes, the data does not (an account made either way is there the other).
// Which database and Redis it is, and why, and which parts are embedded, is printed at start.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import {
  defaultStartTimeoutMs,
  generateIdentityKeys,
  identityIssuers,
  startPlatform,
  startPlatformProcesses,
} from '@expe/platform';
import { embeddedRedisUrl, isEmbeddedRedisUrl, openEmbeddedPostgres } from '@expe/server-kit';
import buildWebOnce, { webDistDir } from '../web/e2e/support/build-web.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

// Read before anything runs: the web build sets NODE_ENV=production in this process.
const nodeEnv = process.env.NODE_ENV ?? 'development';

const stateDir = resolve(process.env.EXPE_STATE_DIR ?? '.expe');

function say(message: string) {
  process.stdout.write(`[expe] ${message}\n`);
}

const secretNames = [
  'JWT_SECRET',
  'INTERNAL_AUTH_SECRET',
  'PAYMENTS_CLIENT_SECRET_KEY',
  'WEBHOOK_SECRET_ENCRYPTION_KEY',
] as const;
type Secrets = Record<(typeof secretNames)[number], string>;

/** Generated once per machine; a secret added in a later version is generated on upgrade. */
function loadOrCreateSecrets(): Secrets {
  const file = resolve(stateDir, 'secrets.json');
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>)
    : {};
  const secrets = Object.fromEntries(
    secretNames.map((name) => [name, stored[name] ?? randomBytes(32).toString('base64url')]),
  ) as Secrets;
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Whether an executable of that name is on PATH. */
function isOnPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function startRedisChild(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
    ],
    // Its own process group: Ctrl-C in the terminal reaches the services, which drain first;
    // Redis is stopped after them (and when this process exits in any other way).
    { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
  process.once('exit', () => child.kill('SIGTERM'));
  for (let attempt = 0; attempt < 50; attempt++) {
    const isUp = await new Promise<boolean>((done) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), done(true)));
      socket.once('error', () => done(false));
    });
    if (isUp) return { url: `redis://127.0.0.1:${port}`, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('redis-server did not start');
}

/**
 * How long the services may take to become ready: EXPE_START_TIMEOUT_MS, default 10 minutes,
 * 0 = no limit. A busy machine makes start slower; the limit only catches a hung service.
 */
function startTimeoutMs(): number {
  const value = process.env.EXPE_START_TIMEOUT_MS;
  if (value === undefined || value === '') return defaultStartTimeoutMs;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new Error(`EXPE_START_TIMEOUT_MS must be milliseconds (0 = no limit), not '${value}'`);
  }
  return limit;
}

/** EXPE_TOPOLOGY: `processes` (the default, one process per service) or `single` (one process). */
function readTopology(): 'processes' | 'single' {
  const value = process.env.EXPE_TOPOLOGY;
  if (value === undefined || value === '' || value === 'processes') return 'processes';
  if (value === 'single') return 'single';
  throw new Error(`EXPE_TOPOLOGY must be 'single' or 'processes', not '${value}'`);
}

/** Where DATABASE_URL points, without its password. */
function describeDatabaseUrl(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname}${port ? `:${port}` : ''}${pathname}`;
  } catch {
    return 'not a URL';
  }
}

/** Where REDIS_URL points, without its password. */
function describeRedisUrl(url: string): string {
  try {
    const { protocol, hostname, port, pathname } = new URL(url);
    return `${protocol}//${hostname}${port ? `:${port}` : ''}${pathname}`;
  } catch {
    return 'not a URL';
  }
}

/** Set from the first Ctrl-C (SIGINT) or SIGTERM on: services exiting now were asked to. */
let stopping = false;
let closePlatform: (() => Promise<void>) | undefined;
let redisChild: ChildProcess | undefined;
let privatePostgres: PrivatePostgres | undefined;

async function main() {
  mkdirSync(stateDir, { recursive: true });
  const secrets = loadOrCreateSecrets();
  const topology = readTopology();
  let databaseUrl = process.env.DATABASE_URL;
  let pglite: PGlite | undefined;

  if (databaseUrl) {
    say(`database   PostgreSQL from DATABASE_URL (${describeDatabaseUrl(databaseUrl)})`);
  } else {
    privatePostgres = await startPrivatePostgres(resolve(stateDir, 'postgres'), say);
    databaseUrl = privatePostgres?.url;
    if (databaseUrl)
      say(`database   PostgreSQL, the private cluster in ${resolve(stateDir, 'postgres')}`);
  }
  if (!databaseUrl) {
    // Loud on purpose: PGlite's data directory is another database than the private cluster's,
    // so accounts made here are not there once PostgreSQL is installed, and the other way round.
    say(
      `database   embedded PostgreSQL (PGlite) in ${resolve(stateDir, 'pgdata')}, because no ` +
        'DATABASE_URL is set and no PostgreSQL server is installed; it is a separate database ' +
        `from the PostgreSQL one in ${resolve(stateDir, 'postgres')}, and it lives inside one process, ` +
        'so every service runs in this one',
    );
    pglite = await openEmbeddedPostgres(resolve(stateDir, 'pgdata'));
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl && isOnPath('redis-server')) {
    const redis = await startRedisChild();
    redisChild = redis.child;
    redisUrl = redis.url;
    say(`redis      REDIS_URL not set: started redis-server at ${redisUrl}`);
  } else if (!redisUrl) {
    redisUrl = embeddedRedisUrl;
    say(
      'redis      embedded: the job queues, caches, rate limits and pub/sub run inside this ' +
        'process, in memory, because no REDIS_URL is set and redis-server is not installed',
    );
  } else {
    say(`redis      REDIS_URL (${describeRedisUrl(redisUrl)})`);
  }
  const embedded = [
    ...(pglite ? [`PostgreSQL (PGlite, data in ${resolve(stateDir, 'pgdata')})`] : []),
    ...(isEmbeddedRedisUrl(redisUrl) ? ['Redis (in memory: starts empty each time)'] : []),
  ];
  const isOneProcess = topology === 'single' || embedded.length > 0;

  say('building the web app if its sources changed…');
  await buildWebOnce();

  // The dev mailbox answers anyone, so it is on only while nothing but this machine can reach
  // the gateway (issue 11, finding 9); DEV_MAILBOX=true/false in the environment decides otherwise.
  const isLoopback = ['127.0.0.1', 'localhost', '::1'].includes(process.env.HOST ?? '127.0.0.1');
  const env = {
    LOG_LEVEL: 'warn',
    ...secrets,
    WEB_DIST_DIR: webDistDir,
    DEV_MAILBOX: isLoopback ? 'true' : 'false',
    ...process.env,
    NODE_ENV: nodeEnv,
    REDIS_URL: redisUrl,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const ports = {
    gateway: Number(process.env.PORT ?? 4000),
    auth: Number(process.env.AUTH_PORT ?? 4001),
    merchants: Number(process.env.MERCHANTS_PORT ?? 4002),
    payments: Number(process.env.PAYMENTS_PORT ?? 4003),
    webhooks: Number(process.env.WEBHOOKS_PORT ?? 4004),
  };
  const stripePort = Number(process.env.STRIPE_PORT ?? 12111);
  const gatewayHost = process.env.HOST ?? '127.0.0.1';
  // A fresh identity keypair per issuer (ADR 0008), and one for an operator run by hand against
  // this platform: its private key is written for it (IDENTITY_PRIVATE_KEY) at every start.
  const identityKeys = generateIdentityKeys([...identityIssuers, 'operator']);
  const operatorKeyFile = resolve(stateDir, 'operator-identity.pem');
  writeFileSync(operatorKeyFile, identityKeys.operator!.privateKey, { mode: 0o600 });
  const platform = isOneProcess
    ? await startPlatform({
        env,
        ...(pglite ? { pglite } : {}),
        ports: { ...ports, stripe: stripePort },
        gatewayHost,
        identityKeys,
      })
    : await startPlatformProcesses({
        env,
        identityKeys,
        ports,
        stripePort,
        gatewayHost,
        startTimeoutMs: startTimeoutMs(),
        onProgress: ({ starting, elapsedMs }) =>
          say(`still starting after ${Math.round(elapsedMs / 1000)} s: ${starting.join(', ')}`),
        onUnexpectedExit: (name, code, signal) => {
          // Ctrl-C reaches every process of the terminal's group: services stopping on it were
          // asked to, whichever of them the platform reaches first.
          if (stopping) return;
          say(
            `${name} exited unexpectedly (code ${code}, signal ${signal}); Ctrl-C and start again`,
          );
        },
      });
  const gatewayUrl = platform.gatewayUrl;
  say(
    isOneProcess
      ? `services   all in this process: ${Object.keys(platform.services).join(', ')}`
      : `services   one process each: ${Object.keys(platform.services).join(', ')}`,
  );
  if (embedded.length > 0) {
    // What embedded means, once, where it is read: what is kept, what is not, how to leave it.
    say(
      `embedded   ${embedded.join('; ')}. Embedded parts live inside this one process, so every ` +
        `service runs in it, and what they hold is under ${stateDir} or in memory. For the ` +
        'recommended set-up, a process per service as in production, install PostgreSQL and ' +
        'Redis (sudo apt-get install -y postgresql redis-server) or set DATABASE_URL and REDIS_URL.',
    );
  }

  say(`Web app    ${gatewayUrl}/`);
  say(`API        ${gatewayUrl}/v1`);
  say(`API docs   ${gatewayUrl}/docs`);
  say(`OpenAPI    ${gatewayUrl}/openapi.json`);
  say(`Metrics    ${gatewayUrl}/metrics`);
  if (platform.stripeUrl && process.env.STRIPE_ENABLED !== 'false') {
    say(
      `Stripe API ${platform.stripeUrl}  (Stripe SDKs: host, port and protocol of this URL; docs/stripe-compatibility.md)`,
    );
  }
  if (env.DEV_MAILBOX === 'true' && nodeEnv !== 'production') {
    say(
      `Dev mail   ${gatewayUrl}/dev/mailbox (development only: anyone who reaches it reads every mail)`,
    );
  }
  say('Ready. Ctrl-C stops.');
  closePlatform = async () => {
    await platform.close();
    await pglite?.close();
  };
}

/** Stops whatever has started, in reverse order; a second Ctrl-C exits at once. */
async function stop() {
  if (stopping) process.exit(1);
  stopping = true;
  say('stopping…');
  await closePlatform?.();
  redisChild?.kill('SIGTERM');
  await privatePostgres?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

main().catch(async (error: unknown) => {
  // Stopped while starting: the services went with Ctrl-C, which is not a failure to start.
  if (stopping) return;
  redisChild?.kill('SIGTERM');
  await privatePostgres?.stop();
  process.stderr.write(
    `[expe] failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
