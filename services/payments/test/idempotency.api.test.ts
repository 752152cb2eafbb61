import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@expe/server-kit';
import {
  cardBody,
  createPayment,
  expectError,
  expectOneAnswerPerKey,
  sandboxCards,
  stackPerFile,
  topUp,
  uniqueKey,
  walletBalance,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('idempotency');
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Idem Shop');
});

/** A POST with an Idempotency-Key, as `as` (anonymous when left out, as a confirm with a client secret). */
const postWithKey = (path: string, key: string, body: unknown, as?: Principal) =>
  stack.call('POST', path, { as, idempotencyKey: key, body });
/** POST /v1/payments with an Idempotency-Key, as the merchant's test key unless `as` says. */
const createPaymentWithKey = (key: string, body: unknown, as: Principal = merchant.testKey) =>
  postWithKey('/v1/payments', key, body, as);

const paymentBody = { amount: 2_500, currency: 'inr', description: 'Filter coffee' };

describe('Idempotency-Key on POST /v1/payments', () => {
  it('when a request is retried with the same key and body, then the first response is replayed byte for byte', async () => {
    const key = uniqueKey();

    const first = await createPaymentWithKey(key, paymentBody);
    // Same JSON, other key order: still the same request.
    const replay = await createPaymentWithKey(key, {
      description: 'Filter coffee',
      currency: 'inr',
      amount: 2_500,
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
    await createPaymentWithKey(key, paymentBody);
    const before = await stack.count('payments');

    const response = await createPaymentWithKey(key, { ...paymentBody, amount: 2_600 });

    expectError(response, 422, 'idempotency_key_reused');
    expect(response.body.error.type).toBe('idempotency_error');
    expect(await stack.count('payments')).toBe(before);
  });

  it('when a request with a key fails validation, then nothing is stored and the key stays usable', async () => {
    const key = uniqueKey();

    const invalid = await createPaymentWithKey(key, { ...paymentBody, amount: 0 });
    const stored = await stack.count('idempotency_keys', `key = '${key}'`);
    const valid = await createPaymentWithKey(key, paymentBody);

    expectError(invalid, 400, 'parameter_invalid', 'amount');
    expect(stored).toBe(0);
    expect(valid.status).toBe(201);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when 50 creates with one key race, then one payment exists and every answer is 409 or the identical replay', async () => {
    const key = uniqueKey();
    const description = `race ${key}`;

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => createPaymentWithKey(key, { ...paymentBody, description })),
    );

    expectOneAnswerPerKey(responses, 50);
    expect(await stack.count('payments', `description = '${description}'`)).toBe(1);
  });

  it('when the key is longer than 255 characters, then 400 names Idempotency-Key and nothing is written', async () => {
    const before = await stack.count('payments');

    const response = await createPaymentWithKey('k'.repeat(256), paymentBody);

    expectError(response, 400, 'parameter_invalid', 'Idempotency-Key');
    expect(await stack.count('payments')).toBe(before);
  });

  it('when two merchants, or one merchant in test and live mode, use the same key, then they do not collide', async () => {
    const other = await stack.registerMerchant('Other Idem Shop');
    const key = uniqueKey();

    const mine = await createPaymentWithKey(key, paymentBody);
    const theirs = await createPaymentWithKey(key, { ...paymentBody, amount: 1 }, other.testKey);
    const live = await createPaymentWithKey(key, { ...paymentBody, amount: 2 }, merchant.liveKey);

    expect([mine.status, theirs.status, live.status]).toEqual([201, 201, 201]);
    expect(new Set([mine.body.id, theirs.body.id, live.body.id]).size).toBe(3);
  });
});

describe('Idempotency-Key on other POSTs', () => {
  it('when a confirm is retried with its key, then the success is replayed instead of a 409', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const key = uniqueKey();
    const body = cardBody(payment.client_secret, sandboxCards.succeeds);

    const first = await postWithKey(`/v1/payments/${payment.id}/confirm`, key, body);
    const replay = await postWithKey(`/v1/payments/${payment.id}/confirm`, key, body);

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

    const first = await postWithKey(`/v1/payments/${payment.id}/confirm`, key, body);
    const replay = await postWithKey(`/v1/payments/${payment.id}/confirm`, key, body);

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

    const first = await postWithKey('/v1/wallet/transfers', key, body, sender.principal);
    await topUp(stack, sender, 10_000);
    const replay = await postWithKey('/v1/wallet/transfers', key, body, sender.principal);
    const fresh = await postWithKey('/v1/wallet/transfers', uniqueKey(), body, sender.principal);

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

    const first = await postWithKey('/v1/wallet/topup', key, { amount: 4_000 }, user.principal);
    const replay = await postWithKey('/v1/wallet/topup', key, { amount: 4_000 }, user.principal);

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
    const refund = { payment: payment.id, amount: 3_000 };

    const first = await postWithKey('/v1/refunds', key, refund, merchant.testKey);
    const replay = await postWithKey('/v1/refunds', key, refund, merchant.testKey);

    expect(first.status).toBe(201);
    expect(replay.text).toBe(first.text);
    expect(await stack.count('refunds', `payment_id = '${payment.id}'`)).toBe(1);
  });
});
