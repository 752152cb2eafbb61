import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPayment,
  expectError,
  sandboxCards,
  startStack,
  topUp,
  uniqueKey,
  walletBalance,
  type Stack,
  type TestMerchant,
} from './support.js';

let stack: Stack;
let merchant: TestMerchant;

beforeAll(async () => {
  stack = await startStack('idempotency');
  merchant = await stack.registerMerchant('Idem Shop');
});

afterAll(async () => {
  await stack?.stop();
});

const paymentBody = { amount: 2_500, currency: 'inr', description: 'Filter coffee' };

describe('Idempotency-Key on POST /v1/payments', () => {
  it('when a request is retried with the same key and body, then the first response is replayed byte for byte', async () => {
    const key = uniqueKey();

    const first = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: paymentBody,
    });
    const replay = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      // Same JSON, other key order: still the same request.
      body: { description: 'Filter coffee', currency: 'inr', amount: 2_500 },
    });

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.bytes.equals(first.bytes)).toBe(true);
    expect(await stack.count('payments', `id = '${first.body.id}'`)).toBe(1);
    expect(
      await stack.count(
        'payments',
        `description = 'Filter coffee' and merchant_id = '${merchant.id}'`,
      ),
    ).toBe(1);
  });

  it('when the same key comes with another body, then 422 idempotency_key_reused and nothing is written', async () => {
    const key = uniqueKey();
    await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: paymentBody,
    });
    const before = await stack.count('payments');

    const response = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: { ...paymentBody, amount: 2_600 },
    });

    expectError(response, 422, 'idempotency_key_reused');
    expect(response.body.error.type).toBe('idempotency_error');
    expect(await stack.count('payments')).toBe(before);
  });

  it('when a request with a key fails validation, then nothing is stored and the key stays usable', async () => {
    const key = uniqueKey();

    const invalid = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: { ...paymentBody, amount: 0 },
    });
    const stored = await stack.count('idempotency_keys', `key = '${key}'`);
    const valid = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: paymentBody,
    });

    expectError(invalid, 400, 'parameter_invalid', 'amount');
    expect(stored).toBe(0);
    expect(valid.status).toBe(201);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when 50 creates with one key race, then one payment exists and every answer is 409 or the identical replay', async () => {
    const key = uniqueKey();
    const description = `race ${key}`;

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        stack.call('POST', '/v1/payments', {
          as: merchant.testKey,
          idempotencyKey: key,
          body: { ...paymentBody, description },
        }),
      ),
    );

    const created = responses.filter((response) => response.status === 201);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(created.length + conflicts.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const response of created) expect(response.bytes.equals(created[0]!.bytes)).toBe(true);
    for (const response of conflicts) {
      expect(response.body.error).toMatchObject({
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
      });
    }
    expect(await stack.count('payments', `description = '${description}'`)).toBe(1);
  });

  it('when the key is longer than 255 characters, then 400 names Idempotency-Key and nothing is written', async () => {
    const before = await stack.count('payments');

    const response = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: 'k'.repeat(256),
      body: paymentBody,
    });

    expectError(response, 400, 'parameter_invalid', 'Idempotency-Key');
    expect(await stack.count('payments')).toBe(before);
  });

  it('when two merchants, or one merchant in test and live mode, use the same key, then they do not collide', async () => {
    const other = await stack.registerMerchant('Other Idem Shop');
    const key = uniqueKey();

    const mine = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: paymentBody,
    });
    const theirs = await stack.call('POST', '/v1/payments', {
      as: other.testKey,
      idempotencyKey: key,
      body: { ...paymentBody, amount: 1 },
    });
    const live = await stack.call('POST', '/v1/payments', {
      as: merchant.liveKey,
      idempotencyKey: key,
      body: { ...paymentBody, amount: 2 },
    });

    expect([mine.status, theirs.status, live.status]).toEqual([201, 201, 201]);
    expect(new Set([mine.body.id, theirs.body.id, live.body.id]).size).toBe(3);
  });
});

describe('Idempotency-Key on other POSTs', () => {
  it('when a confirm is retried with its key, then the success is replayed instead of a 409', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const key = uniqueKey();
    const body = cardBody(payment.client_secret, sandboxCards.succeeds);

    const first = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      idempotencyKey: key,
      body,
    });
    const replay = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      idempotencyKey: key,
      body,
    });

    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(1);
  });

  it('when a declined confirm is replayed, then the same 402 comes back and no second attempt is made', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const key = uniqueKey();
    const body = cardBody(payment.client_secret, sandboxCards.declined);

    const first = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      idempotencyKey: key,
      body,
    });
    const replay = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      idempotencyKey: key,
      body,
    });

    expect(first.status).toBe(402);
    expect(replay.status).toBe(402);
    expect(replay.text).toBe(first.text);
    expect(
      await stack.count('events', `payment_id = '${payment.id}' and type = 'payment.failed'`),
    ).toBe(1);
  });

  it('when a transfer failed for lack of money, then the 402 is stored and replayed even after a top-up', async () => {
    const sender = await stack.registerUser('Idem Sender');
    const recipient = await stack.registerUser('Idem Recipient');
    const key = uniqueKey();
    const body = { to: recipient.vpa, amount: 5_000 };

    const first = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: key,
      body,
    });
    await topUp(stack, sender, 10_000);
    const replay = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: key,
      body,
    });
    const fresh = await stack.call('POST', '/v1/wallet/transfers', {
      as: sender.principal,
      idempotencyKey: uniqueKey(),
      body,
    });

    expectError(first, 402, 'insufficient_funds');
    expect(replay.status).toBe(402);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.bytes.equals(first.bytes)).toBe(true);
    expect(fresh.status).toBe(201);
    expect(await walletBalance(stack, sender)).toBe(5_000);
  });

  it('when a top-up is retried with its key, then the wallet is credited once', async () => {
    const user = await stack.registerUser('Idem Topup');
    const key = uniqueKey();

    const first = await stack.call('POST', '/v1/wallet/topup', {
      as: user.principal,
      idempotencyKey: key,
      body: { amount: 4_000 },
    });
    const replay = await stack.call('POST', '/v1/wallet/topup', {
      as: user.principal,
      idempotencyKey: key,
      body: { amount: 4_000 },
    });

    expect(first.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(await walletBalance(stack, user)).toBe(4_000);
  });

  it('when a refund is retried with its key, then only one refund is made', async () => {
    const payment = await createPayment(stack, merchant.testKey, { amount: 10_000 });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    const key = uniqueKey();

    const first = await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: { payment: payment.id, amount: 3_000 },
    });
    const replay = await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: { payment: payment.id, amount: 3_000 },
    });

    expect(first.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(await stack.count('refunds', `payment_id = '${payment.id}'`)).toBe(1);
  });
});
