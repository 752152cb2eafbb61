import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import pg from 'pg';
import { expect } from 'vitest';
import {
  bullPrefix,
  closeBull,
  createBullConnection,
  eventLogQueueName,
  type Principal,
} from '@expe/server-kit';
import {
  createTestDatabase,
  createTestRedisPrefix,
  perFile,
  serviceTestEnv,
  type ApiResponse,
  type Call,
} from '@expe/testing';
import {
  createEventQueue,
  loadWebhooksConfig,
  startWebhooks,
  type EventJobData,
  type EventQueue,
  type ResolveHost,
  type StartWebhooksOptions,
} from '../src/index.js';

export const testEncryptionKey = 'test-webhook-secret-encryption-key-0123456789';
export const testRedisUrl = 'redis://127.0.0.1:6379';

export interface TestService {
  url: string;
  databaseUrl: string;
  redisPrefix: string;
  /** The producer the payments relay uses, on this service's queue. */
  events: EventQueue;
  /**
   * What this service published to `expe-event-log` for payments' event log, oldest first (no
   * payments consumes it here, so every job stays).
   */
  eventLog(): Promise<EventJobData[]>;
  /** Stops the service but keeps its database and Redis keys (to start another worker). */
  close(): Promise<void>;
  stop(): Promise<void>;
}

/** The env a test service starts with; each test file overrides what it exercises. */
export function testEnv(
  databaseUrl: string,
  redisPrefix: string,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    // WEBHOOKS_TEST_LOG_LEVEL=debug shows the service's logs while a test runs.
    ...serviceTestEnv({
      service: 'webhooks',
      databaseUrl,
      redisPrefix,
      logLevel: process.env.WEBHOOKS_TEST_LOG_LEVEL ?? 'silent',
    }),
    WEBHOOK_SECRET_ENCRYPTION_KEY: testEncryptionKey,
    RETRY_SCHEDULE: '100ms,200ms,300ms',
    DISABLE_AFTER_FAILING_FOR: '1h',
    DELIVERY_TIMEOUT_MS: '2000',
    WORKER_CONCURRENCY: '5',
    WORKER_LOCK_DURATION_MS: '2000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    SHUTDOWN_TIMEOUT_MS: '3000',
    RELAY_INTERVAL_MS: '50',
    ...env,
  };
}

/** The webhooks service (API and worker) on a free port, with its own database and prefix. */
export async function startTestService(
  label: string,
  env: Record<string, string> = {},
  options: StartWebhooksOptions = {},
): Promise<TestService> {
  const database = await createTestDatabase(label);
  const redis = createTestRedisPrefix(label);
  const service = await startWebhooks(
    loadWebhooksConfig(testEnv(database.url, redis.prefix, env)),
    options,
  );
  const events = createEventQueue(testRedisUrl, redis.prefix);
  // Made when a test first reads the event log, and closed with its connection, each with an
  // 'error' listener: a queue opened and closed at once (a service started and stopped in one
  // test) must not leave an initialization command to reject with nobody listening.
  let eventLog: { queue: Queue<EventJobData>; connection: ReturnType<typeof createBullConnection> };
  const eventLogQueue = () => {
    if (!eventLog) {
      const connection = createBullConnection(testRedisUrl, 'producer', 'test-event-log');
      connection.on('error', () => {});
      const queue = new Queue<EventJobData>(eventLogQueueName, {
        connection,
        prefix: bullPrefix(redis.prefix),
      });
      queue.on('error', () => {});
      eventLog = { queue, connection };
    }
    return eventLog.queue;
  };
  let isClosed = false;
  const close = async () => {
    if (isClosed) return;
    isClosed = true;
    await service.close();
  };
  return {
    url: service.url,
    databaseUrl: database.url,
    redisPrefix: redis.prefix,
    events,
    async eventLog() {
      const jobs = await eventLogQueue().getJobs(['waiting', 'active', 'completed', 'failed']);
      return jobs
        .sort((a, b) => a.timestamp - b.timestamp || a.data.event.id.localeCompare(b.data.event.id))
        .map((job) => job.data);
    },
    close,
    async stop() {
      await close();
      await events.close();
      if (eventLog) await closeBull([eventLog.queue], [eventLog.connection]);
      await redis.cleanup();
      await database.drop();
    },
  };
}

export { apiClient, clientOf, type ApiResponse } from '@expe/testing';
export type ApiClient = Call;

/** The test file's service: `startTestService` before its first test, `stop()` after its last. */
export function servicePerFile(
  label: string,
  env: Record<string, string> = {},
  options: StartWebhooksOptions = {},
): TestService {
  return perFile(
    `the ${label} service`,
    () => startTestService(label, env, options),
    (service) => service.stop(),
  );
}

/** The test file's receiver: started before its first test, closed after its last. */
export function receiverPerFile(): Receiver {
  return perFile(
    'the receiver',
    () => startReceiver(),
    (receiver) => receiver.close(),
  );
}

export function newMerchantId(): string {
  return `mer_${randomBytes(13).toString('hex')}`;
}

export interface TestMerchant {
  id: string;
  /** The project its keys act in (the scope of its endpoints, with the key's mode). */
  projectId: string;
  test: Principal;
  live: Principal;
  publishable: Principal;
}

/** A merchant with one project and a secret key per mode in it, as the gateway resolves them. */
export function newMerchant(): TestMerchant {
  return newProjectOf(newMerchantId());
}

/** Another project of the same merchant, with its own keys. */
export function newProjectOf(merchantId: string): TestMerchant {
  const projectId = `prj_${randomBytes(13).toString('hex')}`;
  const key = (mode: 'test' | 'live', keyType: 'secret' | 'publishable' = 'secret'): Principal => ({
    kind: 'api_key',
    keyId: `key_${randomBytes(13).toString('hex')}`,
    keyType,
    merchantId,
    projectId,
    mode,
  });
  return {
    id: merchantId,
    projectId,
    test: key('test'),
    live: key('live'),
    publishable: key('test', 'publishable'),
  };
}

export function newEventId(): string {
  return `evt_${randomBytes(13).toString('hex')}`;
}

/** An outbox event of the project as the payments relay puts it on the queue (null: wallet-only). */
export function eventJob(
  project: Pick<TestMerchant, 'id' | 'projectId'> | null,
  type: string,
  options: {
    mode?: 'test' | 'live';
    id?: string;
    traceparent?: string;
    object?: object;
    /** Unix seconds; default now. */
    created?: number;
  } = {},
): EventJobData {
  const mode = options.mode ?? 'test';
  return {
    event: {
      id: options.id ?? newEventId(),
      object: 'event',
      type,
      created: options.created ?? Math.floor(Date.now() / 1000),
      livemode: mode === 'live',
      data: {
        object: (options.object as Record<string, unknown>) ?? {
          id: `pay_${randomBytes(13).toString('hex')}`,
          object: 'payment',
          amount: 5000,
          currency: 'inr',
          status: type === 'payment.succeeded' ? 'succeeded' : 'requires_payment_method',
        },
      },
    },
    merchant_id: project?.id ?? null,
    project_id: project?.projectId ?? null,
    mode,
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
  };
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  receivedAt: number;
}

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Waits this long before answering. */
  delayMs?: number;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  url(path?: string): string;
  requests: ReceivedRequest[];
  /** What arrived at one path so far. */
  requestsTo(path: string): ReceivedRequest[];
  /** Decides the answer to each request; 200 "ok" by default. */
  reply: (request: ReceivedRequest, index: number) => ReceiverReply;
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records what a merchant's webhook handler would get. */
export async function startReceiver(
  reply: Receiver['reply'] = () => ({ status: 200, body: 'ok' }),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver = { reply } as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      const index = requests.push(request) - 1;
      const answer = receiver.reply(request, index);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return Object.assign(receiver, {
    origin,
    port,
    url: (path = '/webhooks') => `${origin}${path}`,
    requests,
    requestsTo: (path: string) => requests.filter((request) => request.path === path),
    async waitForRequests(count: number, timeoutMs = 10_000) {
      await waitFor(() => requests.length >= count, timeoutMs, `${count} webhook requests`);
      return requests;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A new path under `prefix` at every call, so that each test's endpoint gets its own requests. */
export function uniquePaths(prefix: string): () => string {
  let counter = 0;
  return () => `${prefix}/${++counter}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails the test naming what it waited for. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Reads rows straight from the service's database. */
export async function queryRows<T = Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A DNS that answers from a table, for names the tests make up (`*.expe.test`). */
export function fakeDns(table: Record<string, string[]>): ResolveHost & { table: typeof table } {
  const resolve = (hostname: string) => {
    const addresses = table[hostname];
    if (!addresses) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
      return Promise.reject(error);
    }
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };
  return Object.assign(resolve, { table });
}

/**
 * Asserts the API error object: status, code and, when given, the parameter it names.
 */
export function expectError(
  response: ApiResponse<any>,
  status: number,
  code: string,
  param?: string,
): void {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  if (param !== undefined) expect(response.body.error.param).toBe(param);
}

export async function createEndpoint(
  call: ApiClient,
  as: Principal,
  body: Record<string, unknown>,
): Promise<{ id: string; secret: string; [key: string]: unknown }> {
  const response = await call('POST', '/v1/webhook_endpoints', { as, body });
  if (response.status !== 201) {
    throw new Error(`endpoint create failed: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}
