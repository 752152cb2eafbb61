import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@expe/server-kit';
import { cleanUpIdempotencyKeys } from '../src/shared/domain/clean-up-idempotency-keys.js';
import {
  cardBody,
  createPayment,
  expectError,
  sandboxCards,
  stackPerFile,
  uniqueKey,
  waitFor,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('expiry', {
  PAYMENT_EXPIRY_SECONDS: '1',
  IDEMPOTENCY_TTL_SECONDS: '1',
  SCHEDULER_INTERVAL_MS: '100',
});
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Expiry Shop');
});

describe('payment expiry', () => {
  it('when nobody pays before expires_at, then the scheduler expires the payment and it cannot be paid or canceled', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const expired = await waitFor(
      () => stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.testKey }),
      (read) => read.body.status === 'expired',
    );
    const pay = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    const cancel = await stack.call('POST', `/v1/payments/${payment.id}/cancel`, {
      as: merchant.testKey,
    });

    expect(payment.expires_at - payment.created).toBe(1);
    expect(expired.body.status).toBe('expired');
    expectError(pay, 409, 'payment_unexpected_state');
    expectError(cancel, 409, 'payment_unexpected_state');
    expect(
      await stack.count('events', `payment_id = '${payment.id}' and type = 'payment.expired'`),
    ).toBe(1);
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(0);
  });

  it('when a payment was paid in time, then it never expires', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    // Two days later by the project clock, which also runs everything due as of then.
    const advanced = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: merchant.testKey,
      body: { seconds: 2 * 86_400 },
    });
    const read = await stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.testKey });

    expect(advanced.status, advanced.text).toBe(200);
    expect(read.body.status).toBe('succeeded');
  });
});

describe('idempotency key expiry', () => {
  it('when a key has expired, then it may be reused and the cleanup deletes it', async () => {
    const key = uniqueKey();
    const first = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: { amount: 100, currency: 'inr' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));

    const reused = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: key,
      body: { amount: 200, currency: 'inr' },
    });
    const other = uniqueKey();
    await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      idempotencyKey: other,
      body: { amount: 300, currency: 'inr' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const database = openDatabase({ url: stack.database!.url });
    const deleted = await cleanUpIdempotencyKeys(database.db).finally(() => database.close());

    expect(first.status).toBe(201);
    expect(reused.status).toBe(201);
    expect(reused.body.id).not.toBe(first.body.id);
    expect(deleted).toBeGreaterThanOrEqual(2);
    expect(await stack.count('idempotency_keys', `key in ('${key}', '${other}')`)).toBe(0);
  });
});
