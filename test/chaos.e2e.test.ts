// Chaos under load (issue 9): the platform as deployed, one process per service, while clients
// keep moving money. A client retries with the same Idempotency-Key until it gets an answer
// that is not "try again" (503, 409 in use, no answer), as a well-behaved integration does.
// After the storm: every transfer the clients were told about is in the ledger, nothing else
// is, the books reconcile, and every event reached the merchant's webhook endpoint once.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { reconcileLedger } from '@expe/payments';
import { startPlatformProcesses, type ProcessPlatform } from '@expe/platform';
import { openDatabase } from '@expe/server-kit';
import { createTestDatabase, testSecrets, type TestDatabase } from '@expe/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from './support/redis-server.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

interface Stack {
  platform: ProcessPlatform;
  database: TestDatabase;
  redisPort: number;
  redisDir: string;
  redis: ChildProcess;
}
let stack: Stack | undefined;

afterEach(async () => {
  if (!stack) return;
  await stack.platform.close();
  stack.redis.kill('SIGKILL');
  await stack.database.drop();
  rmSync(stack.redisDir, { recursive: true, force: true });
  stack = undefined;
});

async function startStack(): Promise<Stack> {
  const database = await createTestDatabase('chaos');
  const redisPort = await freePort();
  const redisDir = mkdtempSync(join(tmpdir(), 'expe-chaos-redis-'));
  const redis = await startRedisServer(redisPort, redisDir);
  const platform = await startPlatformProcesses({
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      REDIS_KEY_PREFIX: 'chaos:',
      JWT_SECRET: testSecrets.jwt.reveal(),
      INTERNAL_AUTH_SECRET: testSecrets.internalAuth.reveal(),
      PAYMENTS_CLIENT_SECRET_KEY: 'test-payments-client-secret-key-0123456789',
      WEBHOOK_SECRET_ENCRYPTION_KEY: 'test-webhook-secret-encryption-key-0123456',
      BCRYPT_COST: '4',
      RATE_LIMIT_PER_KEY: '100000',
      RATE_LIMIT_PER_IP: '100000',
      RETRY_SCHEDULE: '200ms,500ms,1s,2s,2s,2s,2s,2s',
      RELAY_INTERVAL_MS: '100',
    },
    stdio: 'ignore',
  });
  stack = { platform, database, redisPort, redisDir, redis };
  return stack;
}

/** How many times clients were told to try again (or got no answer): proof the storm was felt. */
let retries = 0;

interface Answer {
  status: number;
  body: any;
}

/**
 * A client that retries what it is told to retry (503, 409 `idempotency_key_in_use`, no answer
 * at all) with the same Idempotency-Key, for up to a minute.
 */
async function send(
  base: string,
  method: string,
  path: string,
  init: { token?: string; body?: unknown; key?: string },
): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(base + path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.key ? { 'idempotency-key': init.key } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      const body = text ? JSON.parse(text) : undefined;
      const isRetryable =
        response.status === 503 ||
        response.status === 502 ||
        (response.status === 409 && body?.error?.code === 'idempotency_key_in_use');
      if (!isRetryable || Date.now() > deadline) return { status: response.status, body };
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    retries += 1;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function register(base: string, label: string, role: 'user' | 'merchant') {
  const answer = await send(base, 'POST', '/v1/auth/register', {
    body: {
      email: `${label}.${randomUUID()}@example.com`,
      password: 'correct horse battery',
      name: label,
      role,
    },
  });
  expect(answer.status).toBe(201);
  return answer.body as { access_token: string; user: { id: string; vpa: string } };
}

/** Keeps `workers` clients busy with P2P transfers and card payments until `stop()`. */
function runLoad(
  base: string,
  parties: { users: { token: string; vpa: string }[]; secretKey: string },
) {
  const transfers: string[] = [];
  const payments: string[] = [];
  const failures: Answer[] = [];
  let isRunning = true;
  const worker = async (index: number) => {
    let round = 0;
    while (isRunning) {
      round += 1;
      if ((index + round) % 3 === 0) {
        const created = await send(base, 'POST', '/v1/payments', {
          token: parties.secretKey,
          key: randomUUID(),
          body: { amount: 1_000 + round, currency: 'inr' },
        });
        if (created.status !== 201) {
          failures.push(created);
          continue;
        }
        const confirmed = await send(base, 'POST', `/v1/payments/${created.body.id}/confirm`, {
          key: randomUUID(),
          body: {
            client_secret: created.body.client_secret,
            method: 'card',
            card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
          },
        });
        if (confirmed.status === 200) payments.push(created.body.id as string);
        else failures.push(confirmed);
      } else {
        const from = parties.users[(index + round) % parties.users.length]!;
        const to = parties.users[(index + round + 1) % parties.users.length]!;
        const answer = await send(base, 'POST', '/v1/wallet/transfers', {
          token: from.token,
          key: randomUUID(),
          body: { to: to.vpa, amount: 100 },
        });
        if (answer.status === 201) transfers.push(answer.body.id as string);
        else failures.push(answer);
      }
    }
  };
  const running = Promise.all(Array.from({ length: 8 }, (_, i) => worker(i)));
  return {
    transfers,
    payments,
    failures,
    async stop() {
      isRunning = false;
      await running;
    },
  };
}

async function prepare(base: string, receiverUrl: string) {
  const users = [];
  for (let i = 0; i < 6; i++) {
    const user = await register(base, `chaos-user-${i}`, 'user');
    const topup = await send(base, 'POST', '/v1/wallet/topup', {
      token: user.access_token,
      key: randomUUID(),
      body: { amount: 10_000_000 },
    });
    expect(topup.status).toBe(201);
    users.push({ token: user.access_token, vpa: user.user.vpa });
  }
  const merchant = await register(base, 'chaos-shop', 'merchant');
  const project = await send(base, 'POST', '/v1/projects', {
    token: merchant.access_token,
    body: { name: 'chaos' },
  });
  const key = await send(base, 'POST', `/v1/projects/${project.body.id}/api_keys`, {
    token: merchant.access_token,
    body: { name: 'server', mode: 'test' },
  });
  const endpoint = await send(base, 'POST', '/v1/webhook_endpoints', {
    token: key.body.secret,
    body: { url: receiverUrl, enabled_events: ['payment.succeeded'] },
  });
  expect(endpoint.status).toBe(201);
  return { users, secretKey: key.body.secret as string, merchantUserId: merchant.user.id };
}

async function assertBooks(
  database: TestDatabase,
  load: ReturnType<typeof runLoad>,
  receiver: Awaited<ReturnType<typeof startWebhookReceiver>>,
) {
  expect(load.failures).toEqual([]);
  expect(load.transfers.length).toBeGreaterThan(20);
  expect(load.payments.length).toBeGreaterThan(5);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // Every transfer a client was told about is in the ledger, and nothing else is.
    const booked = await client.query<{ reference: string }>(
      `select reference from payments.ledger_transactions where kind = 'transfer'`,
    );
    expect(new Set(booked.rows.map((row) => row.reference))).toEqual(new Set(load.transfers));
    const paid = await client.query<{ reference: string }>(
      `select reference from payments.ledger_transactions where kind = 'payment'`,
    );
    expect(new Set(paid.rows.map((row) => row.reference))).toEqual(new Set(load.payments));
    // Every payment.succeeded event reaches the endpoint, once.
    const events = await client.query<{ id: string }>(
      `select id from payments.events where type = 'payment.succeeded'`,
    );
    expect(events.rows).toHaveLength(load.payments.length);
    await receiver.waitFor(
      (all) => new Set(all.map((r) => r.event.id)).size >= events.rows.length,
      60_000,
    );
    const deliveredIds = receiver.received.map((r) => r.event.id);
    expect(new Set(deliveredIds)).toEqual(new Set(events.rows.map((row) => row.id)));
    expect(deliveredIds).toHaveLength(events.rows.length);
  } finally {
    await client.end();
  }
  const db = openDatabase({ url: database.url, applicationName: 'chaos-reconcile' });
  try {
    const report = await reconcileLedger(db.db);
    expect(report.ok).toBe(true);
  } finally {
    await db.close();
  }
}

describe('chaos under load, one process per service', () => {
  it('when the payments process is killed with SIGKILL during a load and started again, then no 2xx is lost, nothing unanswered is booked, the books reconcile and every event is delivered once', async () => {
    const { platform, database } = await startStack();
    const receiver = await startWebhookReceiver();
    try {
      const parties = await prepare(platform.gatewayUrl, receiver.url);
      const load = runLoad(platform.gatewayUrl, parties);
      await new Promise((r) => setTimeout(r, 2_000));
      retries = 0;
      await platform.kill('payments', 'SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      await platform.restart('payments');
      await new Promise((r) => setTimeout(r, 2_000));
      await load.stop();

      expect(retries).toBeGreaterThan(0);
      await assertBooks(database, load, receiver);
    } finally {
      await receiver.close();
    }
  }, 180_000);

  it('when Redis is restarted during a load, then no money is lost and webhook deliveries resume', async () => {
    const { platform, database, redisPort, redisDir } = await startStack();
    const receiver = await startWebhookReceiver();
    try {
      const parties = await prepare(platform.gatewayUrl, receiver.url);
      const load = runLoad(platform.gatewayUrl, parties);
      await new Promise((r) => setTimeout(r, 2_000));
      stack!.redis.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 1_000));
      stack!.redis = await startRedisServer(redisPort, redisDir);
      await new Promise((r) => setTimeout(r, 3_000));
      await load.stop();

      await assertBooks(database, load, receiver);
    } finally {
      await receiver.close();
    }
  }, 180_000);
});
