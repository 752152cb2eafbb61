// `npm start`: the whole platform on one machine, in one process.
// Uses DATABASE_URL / REDIS_URL when set; otherwise an embedded PGlite database under .expe/
// and a private redis-server child. Secrets are generated once into .expe/secrets.json.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { startPlatform } from '@expe/platform';
import { openEmbeddedPostgres } from '@expe/server-kit';
import buildWebOnce, { webDistDir } from '../web/e2e/support/build-web.js';

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

async function startRedisChild(): Promise<{ url: string; child: ChildProcess }> {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    process.stderr.write(
      '[expe] redis-server is not on PATH: install it (sudo apt-get install -y redis-server) or set REDIS_URL.\n',
    );
    process.exit(1);
  }
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
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
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

let redisChild: ChildProcess | undefined;

async function main() {
  mkdirSync(stateDir, { recursive: true });
  const secrets = loadOrCreateSecrets();
  let pglite: PGlite | undefined;

  if (!process.env.DATABASE_URL) {
    say(`DATABASE_URL not set: embedded PostgreSQL (PGlite) in ${resolve(stateDir, 'pgdata')}`);
    pglite = await openEmbeddedPostgres(resolve(stateDir, 'pgdata'));
  }
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedisChild();
    redisChild = redis.child;
    redisUrl = redis.url;
    say(`REDIS_URL not set: started redis-server at ${redisUrl}`);
  }

  say('building the web app if its sources changed…');
  await buildWebOnce();

  const platform = await startPlatform({
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      ...secrets,
      WEB_DIST_DIR: webDistDir,
      ...process.env,
      REDIS_URL: redisUrl,
    },
    pglite,
    ports: {
      gateway: Number(process.env.PORT ?? 4000),
      auth: Number(process.env.AUTH_PORT ?? 4001),
      merchants: Number(process.env.MERCHANTS_PORT ?? 4002),
      payments: Number(process.env.PAYMENTS_PORT ?? 4003),
      webhooks: Number(process.env.WEBHOOKS_PORT ?? 4004),
    },
    gatewayHost: process.env.HOST ?? '127.0.0.1',
  });

  say(`Web app    ${platform.gatewayUrl}/`);
  say(`API        ${platform.gatewayUrl}/v1`);
  say(`API docs   ${platform.gatewayUrl}/docs`);
  say(`OpenAPI    ${platform.gatewayUrl}/openapi.json`);
  say(`Metrics    ${platform.gatewayUrl}/metrics`);
  say(`Dev mail   ${platform.gatewayUrl}/v1/dev/mailbox?email=you@example.com`);
  say('Ready. Ctrl-C stops.');

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    say('stopping…');
    await platform.close();
    await pglite?.close();
    redisChild?.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  redisChild?.kill('SIGTERM');
  process.stderr.write(
    `[expe] failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
