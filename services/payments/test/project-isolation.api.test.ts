import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bullPrefix,
  createBullConnection,
  eventsQueueName,
  prefixedChannel,
  realtimeChannels,
  type EventJobData,
} from '@expe/server-kit';
import { testRedisUrl } from '@expe/testing';
import {
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  reconciliation,
  sandboxCards,
  stackPerFile,
  uniqueKey,
  type KeyPrincipal,
  type ProjectKeys,
  type TestMerchant,
} from './support.js';

// One merchant, two projects, each with its own test key: a project is a sandbox (issue 19).
// Project 1 owns one object of every kind; project 2's key must find none of them, list none,
// act on none (and write nothing), and have its own balance, clock, reset and Idempotency-Keys.
// The scheduler is off so that nothing moves unless a test moves it.
const stack = stackPerFile('project_isolation', { SCHEDULER_INTERVAL_MS: '0' });
let merchant: TestMerchant;
let first: ProjectKeys;
let second: ProjectKeys;
const owned: Record<string, string> = {};
let manualPaymentId: string;
let unpaidPaymentId: string;
let unpaidClientSecret: string;

const disputeCard = '4000000000000259';
const twoDays = 2 * 24 * 60 * 60;

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  as: KeyPrincipal,
  body?: object,
) {
  return stack.call(method, path, { as, ...(body ? { body } : {}) });
}

async function created(path: string, as: KeyPrincipal, body: object): Promise<any> {
  const response = await call('POST', path, as, body);
  expect(response.status, response.text).toBe(201);
  return response.body;
}

beforeAll(async () => {
  merchant = await stack.registerMerchant('Two Project Shop');
  first = merchant;
  second = await stack.addProject(merchant, 'Team B');

  const off = await call('POST', '/v1/balance_settings', first.testKey, { fees_enabled: false });
  expect(off.status, off.text).toBe(200);
  const paid = await createPaidPayment(stack, first.testKey, { amount: 20_000 });
  owned.payment = paid.id;
  owned.refund = (await created('/v1/refunds', first.testKey, { payment: paid.id, amount: 1_000 }))
    .id as string;
  owned.customer = (await created('/v1/customers', first.testKey, { email: 'a@example.com' }))
    .id as string;
  owned.qr_code = (
    await created('/v1/qr_codes', first.testKey, {
      usage: 'multiple_use',
      fixed_amount: false,
      description: 'Counter 1',
    })
  ).id as string;
  owned.payment_link = (
    await created('/v1/payment_links', first.testKey, {
      amount: 29_900,
      currency: 'inr',
      description: 'Chai subscription',
    })
  ).id as string;

  const disputed = await createPayment(stack, first.testKey, { amount: 5_000 });
  const confirmed = await stack.call('POST', `/v1/payments/${disputed.id}/confirm`, {
    body: cardBody(disputed.client_secret, disputeCard),
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  const disputes = await call('GET', `/v1/disputes?payment=${disputed.id}`, first.testKey);
  expect(disputes.body.data, disputes.text).toHaveLength(1);
  owned.dispute = disputes.body.data[0].id as string;

  const advanced = await call('POST', '/v1/test_helpers/clock/advance', first.testKey, {
    seconds: twoDays,
  });
  expect(advanced.status, advanced.text).toBe(200);
  owned.payout = (
    await created('/v1/payouts', first.testKey, {
      amount: 2_000,
      currency: 'inr',
      destination: { vpa: 'success@expe' },
    })
  ).id as string;
  const transactions = await call('GET', '/v1/balance_transactions', first.testKey);
  owned.balance_transaction = transactions.body.data[0].id as string;
  const events = await call('GET', '/v1/events', first.testKey);
  owned.event = events.body.data[0].id as string;

  const manual = await createPayment(stack, first.testKey, {
    amount: 3_000,
    capture_method: 'manual',
  });
  const authorized = await stack.call('POST', `/v1/payments/${manual.id}/confirm`, {
    body: cardBody(manual.client_secret, sandboxCards.succeeds),
  });
  expect(authorized.body.status, authorized.text).toBe('requires_capture');
  manualPaymentId = manual.id as string;
  const unpaid = await createPayment(stack, first.testKey);
  unpaidPaymentId = unpaid.id as string;
  unpaidClientSecret = unpaid.client_secret as string;
});

const objects = [
  ['payment', '/v1/payments'],
  ['refund', '/v1/refunds'],
  ['customer', '/v1/customers'],
  ['qr_code', '/v1/qr_codes'],
  ['payment_link', '/v1/payment_links'],
  ['dispute', '/v1/disputes'],
  ['payout', '/v1/payouts'],
  ['balance_transaction', '/v1/balance_transactions'],
  ['event', '/v1/events'],
] as const;

describe("another project's objects", () => {
  it.each(objects)(
    "when project 2's key reads project 1's %s, then it is 404 (and project 1 reads it)",
    async (kind, path) => {
      const id = owned[kind]!;

      const theirs = await call('GET', `${path}/${id}`, second.testKey);
      const ours = await call('GET', `${path}/${id}`, first.testKey);

      expect(theirs.status, theirs.text).toBe(404);
      expect(ours.status, ours.text).toBe(200);
    },
  );

  it.each(objects)(
    "when project 2's key lists %ss, then none of project 1's are there",
    async (kind, path) => {
      const theirs = await call('GET', `${path}?limit=100`, second.testKey);
      const ours = await call('GET', `${path}?limit=100`, first.testKey);

      expect(theirs.status, theirs.text).toBe(200);
      expect(theirs.body.data).toEqual([]);
      expect(ours.body.data.map((row: { id: string }) => row.id)).toContain(owned[kind]);
    },
  );

  it("when project 2's key reads project 1's payment timeline, QR payments or customer's cards, then it is 404", async () => {
    const timeline = await call('GET', `/v1/payments/${owned.payment}/timeline`, second.testKey);
    const qrPayments = await call('GET', `/v1/qr_codes/${owned.qr_code}/payments`, second.testKey);
    const cards = await call(
      'GET',
      `/v1/customers/${owned.customer}/payment_methods`,
      second.testKey,
    );

    expect([timeline.status, qrPayments.status, cards.status]).toEqual([404, 404, 404]);
  });
});

describe("acting on another project's objects", () => {
  it("when project 2's key refunds project 1's payment, then it is 404 and nothing is written", async () => {
    const refunds = await stack.count('refunds');

    const response = await call('POST', '/v1/refunds', second.testKey, { payment: owned.payment });

    expect(response.status, response.text).toBe(404);
    expect(await stack.count('refunds')).toBe(refunds);
  });

  it("when project 2's key captures project 1's authorization, then it is 404 and it stays held", async () => {
    const response = await call('POST', `/v1/payments/${manualPaymentId}/capture`, second.testKey);
    const read = await call('GET', `/v1/payments/${manualPaymentId}`, first.testKey);

    expect(response.status, response.text).toBe(404);
    expect(read.body.status).toBe('requires_capture');
  });

  it("when project 2's key cancels project 1's payment, then it is 404 and it is not canceled", async () => {
    const response = await call('POST', `/v1/payments/${unpaidPaymentId}/cancel`, second.testKey);
    const read = await call('GET', `/v1/payments/${unpaidPaymentId}`, first.testKey);

    expect(response.status, response.text).toBe(404);
    expect(read.body.status).toBe('requires_payment_method');
  });

  it("when project 2's key updates project 1's customer, closes its QR code or its dispute, then each is 404 and nothing changes", async () => {
    const customer = await call('POST', `/v1/customers/${owned.customer}`, second.testKey, {
      name: 'Taken',
    });
    const qr = await call('POST', `/v1/qr_codes/${owned.qr_code}/close`, second.testKey);
    const dispute = await call('POST', `/v1/disputes/${owned.dispute}/close`, second.testKey);
    const link = await call('POST', `/v1/payment_links/${owned.payment_link}`, second.testKey, {
      active: false,
    });

    expect([customer.status, qr.status, dispute.status, link.status]).toEqual([404, 404, 404, 404]);
    expect((await call('GET', `/v1/customers/${owned.customer}`, first.testKey)).body.name).toBe(
      null,
    );
    expect((await call('GET', `/v1/qr_codes/${owned.qr_code}`, first.testKey)).body.status).toBe(
      'active',
    );
    expect((await call('GET', `/v1/disputes/${owned.dispute}`, first.testKey)).body.status).toBe(
      'needs_response',
    );
  });

  it("when project 2's keys confirm project 1's payment, complete it or pay its QR code, then each is 404 and nothing moves", async () => {
    const payments = await stack.count('payments');

    const confirm = await stack.call('POST', `/v1/payments/${unpaidPaymentId}/confirm`, {
      as: second.publishableTestKey,
      body: cardBody(unpaidClientSecret, sandboxCards.succeeds),
    });
    const complete = await call(
      'POST',
      `/v1/test_helpers/payments/${unpaidPaymentId}/complete`,
      second.testKey,
      { outcome: 'succeeded' },
    );
    const qrPay = await call(
      'POST',
      `/v1/test_helpers/qr_codes/${owned.qr_code}/pay`,
      second.testKey,
      {
        amount: 100,
        vpa: 'success@expe',
      },
    );

    expect([confirm.status, complete.status, qrPay.status]).toEqual([404, 404, 404]);
    expect(await stack.count('payments')).toBe(payments);
    const read = await call('GET', `/v1/payments/${unpaidPaymentId}`, first.testKey);
    expect(read.body.status).toBe('requires_payment_method');
  });
});

describe("a project's own money, clock and keys", () => {
  it('when project 1 has money, then project 2 has a balance of its own: nothing', async () => {
    const ours = await call('GET', '/v1/balance', first.testKey);
    const theirs = await call('GET', '/v1/balance', second.testKey);
    const sum = (items: { amount: number }[]) => items.reduce((total, i) => total + i.amount, 0);

    expect(sum(ours.body.available) + sum(ours.body.pending)).toBeGreaterThan(0);
    expect(sum(theirs.body.available) + sum(theirs.body.pending)).toBe(0);
  });

  it('when project 2 pays out, then it is refused for lack of its own available balance', async () => {
    const payouts = await stack.count('payouts');

    const response = await call('POST', '/v1/payouts', second.testKey, {
      amount: 1_000,
      currency: 'inr',
      destination: { vpa: 'success@expe' },
    });

    expectError(response, 402, 'payout_exceeds_available', 'amount');
    expect(await stack.count('payouts')).toBe(payouts);
  });

  it("when project 1's clock was advanced, then project 2's clock has not moved", async () => {
    const ours = await call('GET', '/v1/test_helpers/clock', first.testKey);
    const theirs = await call('GET', '/v1/test_helpers/clock', second.testKey);

    expect(ours.body.offset_seconds).toBeGreaterThanOrEqual(twoDays);
    expect(theirs.body.offset_seconds).toBe(0);
  });

  it("when project 2 reuses project 1's Idempotency-Key, then project 2's request runs and nothing is replayed", async () => {
    const key = uniqueKey();
    const body = { email: 'same@example.com' };

    const ours = await stack.call('POST', '/v1/customers', {
      as: first.testKey,
      body,
      idempotencyKey: key,
    });
    const theirs = await stack.call('POST', '/v1/customers', {
      as: second.testKey,
      body,
      idempotencyKey: key,
    });

    expect(theirs.status, theirs.text).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(ours.body.id);
  });

  it("when the books are reconciled, then they are clean in total and per project, and project 1's balance is its own", async () => {
    const report = await reconciliation(stack);
    const books = report.projects.filter(
      (entry: { project_id: string }) =>
        entry.project_id === first.projectId || entry.project_id === second.projectId,
    );

    expect(report.ok, JSON.stringify(report)).toBe(true);
    expect(books.map((entry: { project_id: string }) => entry.project_id)).toEqual([
      first.projectId,
    ]);
    expect(books[0]).toMatchObject({ mode: 'test', currency: 'inr', ok: true });
    expect(books[0].available + books[0].pending).toBeGreaterThan(0);
  });

  it("when project 2 resets its test data, then project 1's payments and balance are untouched", async () => {
    const before = await call('GET', '/v1/balance', first.testKey);

    const reset = await call('POST', '/v1/test_helpers/reset', second.testKey);
    const payment = await call('GET', `/v1/payments/${owned.payment}`, first.testKey);
    const after = await call('GET', '/v1/balance', first.testKey);

    expect(reset.status, reset.text).toBe(200);
    expect(payment.status, payment.text).toBe(200);
    expect(after.body).toEqual(before.body);
  });
});

describe("a project's events on the way out", () => {
  it("when project 1's payment is created, then its job names project 1 and it reaches project 1's WebSocket channel, never project 2's", async () => {
    const prefix = stack.env.REDIS_KEY_PREFIX!;
    const subscriber = new Redis(testRedisUrl);
    const connection = createBullConnection(testRedisUrl, 'producer', 'test-project-isolation');
    connection.on('error', () => {});
    const queue = new Queue<EventJobData>(eventsQueueName, {
      connection,
      prefix: bullPrefix(prefix),
    });
    const heard: Record<string, string[]> = { first: [], second: [] };
    const channels = {
      first: prefixedChannel(prefix, realtimeChannels.project(first.projectId, 'test')),
      second: prefixedChannel(prefix, realtimeChannels.project(second.projectId, 'test')),
    };
    try {
      subscriber.on('message', (channel: string, message: string) => {
        if (channel === channels.first) heard.first!.push(message);
        if (channel === channels.second) heard.second!.push(message);
      });
      await subscriber.subscribe(channels.first, channels.second);

      const payment = await createPayment(stack, first.testKey);

      // One relay batch publishes every channel of an event in one pipeline, in order: once
      // project 1's channel has it, project 2's would have had it too.
      await vi.waitFor(
        () => expect(heard.first!.some((message) => message.includes(payment.id))).toBe(true),
        { timeout: 10_000 },
      );
      expect(heard.second).toEqual([]);
      const event = JSON.parse(heard.first!.find((message) => message.includes(payment.id))!);
      const job = await queue.getJob(event.id as string);
      expect(job?.data).toMatchObject({
        merchant_id: merchant.id,
        project_id: first.projectId,
        mode: 'test',
      });
    } finally {
      await queue.close();
      connection.disconnect();
      subscriber.disconnect();
    }
  });
});

it('when a key of project 2 asks for an unknown id, then the answer is the same 404 as for project 1', async () => {
  expectError(
    await call('GET', `/v1/payments/pay_${'0'.repeat(26)}`, second.testKey),
    404,
    'resource_missing',
  );
});
