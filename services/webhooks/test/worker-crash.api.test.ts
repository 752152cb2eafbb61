import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, createTestRedisPrefix, type TestDatabase } from '@expe/testing';
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
  startReceiver,
  testEnv,
  testRedisUrl,
  waitFor,
  type Receiver,
} from './support.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const workerMain = fileURLToPath(new URL('../src/worker-main.ts', import.meta.url));

let database: TestDatabase;
let redis: ReturnType<typeof createTestRedisPrefix>;
let api: Awaited<ReturnType<typeof startWebhooks>>;
let events: EventQueue;
let receiver: Receiver;
const children = new Set<ChildProcess>();

/** The worker alone (src/worker-main.ts) in a child process, as its own Deployment runs it. */
function startWorkerProcess(): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    ['--conditions=@expe/source', '--import', 'tsx', workerMain],
    {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        ...testEnv(database.url, redis.prefix, { WORKER_CONCURRENCY: '5', LOG_LEVEL: 'warn' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  children.add(child);
  child.once('exit', () => children.delete(child));
  return { child, output: () => output };
}

beforeAll(async () => {
  database = await createTestDatabase('webhooks_crash');
  redis = createTestRedisPrefix('webhooks_crash');
  // The API only: the deliveries are the child workers' job.
  api = await startWebhooks(
    loadWebhooksConfig(testEnv(database.url, redis.prefix, { RUN_WORKER: 'false' })),
  );
  events = createEventQueue(testRedisUrl, redis.prefix);
  // The 9th and 10th requests are held for 5 s: when the 10th has arrived, two attempts are
  // certainly in flight, however fast or slow the machine is, and the kill catches them.
  receiver = await startReceiver((_request, index) => ({
    status: 200,
    body: 'ok',
    delayMs: index === 8 || index === 9 ? 5_000 : 50,
  }));
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver.close();
  await events.close();
  await api.close();
  await redis.cleanup();
  await database.drop();
});

describe('a worker crash', () => {
  it('when a worker is killed with SIGKILL mid-batch, then a new worker delivers every event at least once', async () => {
    const merchant = newMerchant();
    const call = apiClient(api.url);
    await createEndpoint(call, merchant.test, {
      url: receiver.url('/crash'),
      enabled_events: ['*'],
    });
    const jobs = Array.from({ length: 40 }, () => eventJob(merchant, 'payment.succeeded'));
    const first = startWorkerProcess();

    await events.enqueueMany(jobs);
    await waitFor(() => receiver.requests.length >= 10, 30_000, 'the first worker to get going');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const deliveredByFirst = new Set(receiver.requests.map((r) => r.headers['expe-event-id']));
    const second = startWorkerProcess();

    const received = () => new Set(receiver.requests.map((r) => r.headers['expe-event-id']));
    const statuses = () =>
      queryRows<{ status: string; n: number }>(
        database.url,
        'select status, count(*)::int as n from webhooks.deliveries group by status',
      );
    // Done when every delivery is recorded as succeeded, not when every event id has reached the
    // receiver: an attempt in flight at the kill has reached it already, and only its second
    // attempt, once the job is found stalled, records it.
    const isEveryDeliverySucceeded = async () => {
      const rows = await statuses();
      return rows.length === 1 && rows[0]?.status === 'succeeded' && rows[0].n === jobs.length;
    };
    await waitFor(isEveryDeliverySucceeded, 60_000, 'every delivery to succeed').catch((error) => {
      throw new Error(`${(error as Error).message}\nworker output:\n${second.output()}`);
    });
    second.child.kill('SIGTERM');
    const [exitCode] = (await once(second.child, 'exit')) as [number | null];

    expect(deliveredByFirst.size).toBeLessThan(jobs.length);
    expect(received()).toEqual(new Set(jobs.map((job) => job.event.id)));
    // Attempts in flight at the kill were never recorded, so they ran again: at least once,
    // not exactly once, which is why receivers dedupe on Expe-Event-Id.
    expect(receiver.requests.length).toBeGreaterThan(jobs.length);
    expect(await statuses()).toEqual([{ status: 'succeeded', n: jobs.length }]);
    // SIGTERM is a graceful stop: the worker finished what it had and exited cleanly.
    expect(exitCode).toBe(0);
  }, 120_000);
});
