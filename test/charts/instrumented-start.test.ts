import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { repositoryRoot, run } from '@expe/kube-harness';
import {
  createTestDatabase,
  createTestRedisPrefix,
  testRedisUrl,
  testSecrets,
  type TestDatabase,
  testIdentityEnv,
} from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentOf, podTemplates, prepareCharts, type Charts } from './support.js';

// A service started exactly as its chart starts it (the rendered command line, the ConfigMap's
// environment) from the built layout: it migrates its schema at start, becomes ready, and its
// /metrics has one http_server_request_duration family although the OpenTelemetry preload
// instruments HTTP as well.

let charts: Charts;
let database: TestDatabase;
const redis = createTestRedisPrefix('instrumented');
let child: ChildProcess | undefined;
let url: string;

beforeAll(async () => {
  charts = await prepareCharts();
  await run('npx', ['tsc', '-b'], { cwd: repositoryRoot });
  database = await createTestDatabase('instrumented');
  const objects = await charts.render('expe', 'expe');
  const pod = podTemplates(objects).find((p) => p.owner.metadata.name === 'expe-merchants');
  const container = pod!.containers[0]!;
  const env = environmentOf(container, objects);
  const [command, ...args] = container.command!;
  child = spawn(command!, args, {
    cwd: repositoryRoot,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH,
      ...env,
      // What only the cluster has: its database, Redis and a free port.
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      INTERNAL_AUTH_SECRET: testSecrets.internalAuth.reveal(),
      ...testIdentityEnv('merchants'),
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: '2',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`merchants exited with ${String(code)}: ${stderr}`);
  });
  const listening = once(child, 'message').then(([message]) => (message as { url: string }).url);
  url = await Promise.race([listening, exited]);
}, 600_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  await redis.cleanup();
  await database?.drop();
  await charts?.cleanup();
});

describe('a service started with the chart command line', () => {
  it('when it has started, then it migrated its schema and is ready', async () => {
    const ready = await fetch(`${url}/readyz`);

    expect(ready.status).toBe(200);
    const client = await import('pg').then(
      ({ default: pg }) => new pg.Client({ connectionString: database.url }),
    );
    await client.connect();
    try {
      const { rows } = await client.query(
        "select count(*)::int as n from information_schema.tables where table_schema = 'merchants'",
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(3);
    } finally {
      await client.end();
    }
  });

  it('when it has served requests, then the preload instrumented it and /metrics has one http_server_request_duration family', async () => {
    await fetch(`${url}/internal/merchants/mer_00000000000000000000000000`);

    const text = await (await fetch(`${url}/metrics`)).text();

    expect(text.match(/^# TYPE http_server_request_duration histogram$/gm)).toHaveLength(1);
    expect(text).toMatch(/http_server_request_duration_count\{[^}]*service="merchants"/);
    expect(text).toMatch(/^target_info\{[^}]*service_name="merchants"/m);
    // pg is patched only through the preload's loader hook (ES modules): its metrics prove it ran.
    expect(text).toMatch(/^# TYPE db_client_operation_duration histogram$/m);
  });
});
