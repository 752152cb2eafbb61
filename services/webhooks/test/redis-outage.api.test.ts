import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventQueue,
  loadWebhooksConfig,
  startWebhooks,
  type EventQueue,
} from '../src/index.js';
import {
  apiClient,
  createEndpoint,
  eventJob,
  newMerchant,
  queryRows,
  sleep,
  startReceiver,
  testEnv,
  waitFor,
  type Receiver,
} from './support.js';

// A Redis of this test's own, so it can be stopped without disturbing anyone else's tests.
let redisDir: string;
let redisPort: number;
let redisServer: ChildProcess | undefined;
let database: TestDatabase;
let service: Awaited<ReturnType<typeof startWebhooks>>;
let events: EventQueue;
let receiver: Receiver;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts redis-server with an append-only file, so a restart keeps the queues. */
async function startRedis(): Promise<void> {
  redisServer = spawn(
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      redisDir,
    ],
    { stdio: 'ignore' },
  );
  const probe = new Redis(redisPort, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50 });
  probe.on('error', () => {});
  await waitFor(
    async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    10_000,
    'redis-server to start',
  );
  probe.disconnect();
}

async function stopRedis(): Promise<void> {
  const server = redisServer;
  if (!server || server.exitCode !== null) return;
  server.kill('SIGTERM');
  await once(server, 'exit');
}

beforeAll(async () => {
  redisDir = mkdtempSync(join(tmpdir(), 'expe-webhooks-redis-'));
  redisPort = await freePort();
  await startRedis();
  database = await createTestDatabase('webhooks_redis_outage');
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  service = await startWebhooks(
    loadWebhooksConfig(testEnv(database.url, 'outage:', { REDIS_URL: redisUrl })),
  );
  events = createEventQueue(redisUrl, 'outage:');
  receiver = await startReceiver(() => ({ status: 200, body: 'ok', delayMs: 50 }));
});

afterAll(async () => {
  await receiver.close();
  await events.close();
  await service.close();
  await stopRedis();
  await database.drop();
  rmSync(redisDir, { recursive: true, force: true });
});

describe('a Redis outage', () => {
  it('when Redis stops mid-batch and starts again, then every event is still delivered and new ones flow', async () => {
    const merchant = newMerchant();
    await createEndpoint(apiClient(service.url), merchant.test, {
      url: receiver.url('/outage'),
      enabled_events: ['*'],
    });
    const before = Array.from({ length: 30 }, () => eventJob(merchant, 'payment.created'));
    await events.enqueueMany(before);
    await waitFor(() => receiver.requests.length >= 5, 10_000, 'deliveries to start');

    await stopRedis();
    await sleep(1_000);
    await startRedis();
    const after = Array.from({ length: 5 }, () => eventJob(merchant, 'payment.succeeded'));
    await waitFor(
      async () => {
        try {
          await events.enqueueMany(after);
          return true;
        } catch {
          return false; // The producer fails fast until it has reconnected, as the relay expects.
        }
      },
      10_000,
      'the producer to reconnect',
    );

    const expected = new Set([...before, ...after].map((job) => job.event.id));
    const received = () => new Set(receiver.requests.map((r) => r.headers['expe-event-id']));
    await waitFor(() => received().size === expected.size, 30_000, 'every event');
    expect(received()).toEqual(expected);
    await waitFor(
      async () => {
        const rows = await queryRows<{ n: number }>(
          database.url,
          "select count(*)::int as n from webhooks.deliveries where status = 'succeeded'",
        );
        return rows[0]?.n === expected.size;
      },
      10_000,
      'every delivery to be recorded as succeeded',
    );
  }, 60_000);
});
