import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  reconciliation,
  sandboxCards,
  stackPerFile,
  topUp,
  type TestMerchant,
} from './support.js';

// The scheduler is off: a processing payment stays processing unless a helper settles it.
const stack = stackPerFile('test_helpers', { SCHEDULER_INTERVAL_MS: '0' });
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Helper Shop');
});

async function processingPayment(shop = merchant, body: Record<string, unknown> = {}) {
  const payment = await createPayment(stack, shop.testKey, { amount: 2_500, ...body });
  const confirmed = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
    body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'pending@expe' } },
  });
  expect(confirmed.body.status).toBe('processing');
  return payment;
}

const complete = (id: string, outcome: unknown, as = merchant.testKey) =>
  stack.call('POST', `/v1/test_helpers/payments/${id}/complete`, { as, body: { outcome } });

const writes = (id: string) =>
  Promise.all([
    stack.count('events', `payment_id = '${id}'`),
    stack.count('ledger_transactions', `reference = '${id}'`),
  ]);

/** Every reconciliation check is clean: a reset detaches, it never unbalances. */
async function expectLedgerClean() {
  const report = await reconciliation(stack);
  const failing = report.checks.filter((check: any) => !check.ok);
  expect(failing, JSON.stringify(failing)).toEqual([]);
  expect(report.ok).toBe(true);
}

describe('POST /v1/test_helpers/payments/:id/complete', () => {
  it('when a processing payment is completed as succeeded, then it succeeds now and the money moves once', async () => {
    const payment = await processingPayment();

    const response = await complete(payment.id, 'succeeded');
    const again = await complete(payment.id, 'succeeded');
    const events = await stack.call('GET', '/v1/events?type=payment.*&limit=1', {
      as: merchant.testKey,
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ status: 'succeeded', amount_received: 2_500 });
    expectError(again, 409, 'payment_unexpected_state');
    expect(events.body.data[0]).toMatchObject({ type: 'payment.succeeded' });
    expect(
      await stack.count('ledger_transactions', `kind = 'payment' and reference = '${payment.id}'`),
    ).toBe(1);
  });

  it('when completed as failed, then the payment needs a payment method again with the bank’s error and no money moved', async () => {
    const payment = await processingPayment();

    const response = await complete(payment.id, 'failed');
    const events = await stack.call('GET', '/v1/events?type=payment.*&limit=1', {
      as: merchant.testKey,
    });

    expect(response.body).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'upi_transaction_failed' },
    });
    expect(events.body.data[0]).toMatchObject({ type: 'payment.failed' });
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(0);
  });

  it('when a manual-capture payment is completed as succeeded, then it is authorized, not captured', async () => {
    const payment = await processingPayment(merchant, { capture_method: 'manual' });

    const response = await complete(payment.id, 'succeeded');

    expect(response.body).toMatchObject({ status: 'requires_capture', amount_capturable: 2_500 });
  });

  it('when the payment is not processing, belongs to another merchant, or a live key calls, then 409 / 404 and nothing is written', async () => {
    const open = await createPayment(stack, merchant.testKey);
    const processing = await processingPayment();
    const other = await stack.registerMerchant('Other Helper Shop');
    const before = await writes(processing.id);

    const notProcessing = await complete(open.id, 'succeeded');
    const byOther = await complete(processing.id, 'succeeded', other.testKey);
    const byLive = await complete(processing.id, 'succeeded', merchant.liveKey);
    const badOutcome = await complete(processing.id, 'maybe');

    expectError(notProcessing, 409, 'payment_unexpected_state');
    expectError(byOther, 404, 'resource_missing');
    expectError(byLive, 404, 'route_not_found');
    expectError(badOutcome, 400, 'parameter_invalid', 'outcome');
    expect(await writes(processing.id)).toEqual(before);
  });
});

describe('POST /v1/test_helpers/reset', () => {
  it('when a merchant resets, then its test lists and test balance are empty, held money is back with the payer, live data and other merchants are untouched, and the books still balance', async () => {
    const shop = await stack.registerMerchant('Reset Shop');
    const bystander = await stack.registerMerchant('Bystander Shop');
    const paid = await createPaidPayment(stack, shop.testKey, { amount: 10_000 });
    await stack.call('POST', '/v1/refunds', {
      as: shop.testKey,
      body: { payment: paid.id, amount: 1_000 },
    });
    const payer = await stack.registerUser('Held Payer');
    await topUp(stack, payer, 4_000);
    const held = await createPayment(stack, shop.testKey, {
      amount: 4_000,
      capture_method: 'manual',
    });
    await stack.call('POST', `/v1/payments/${held.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: held.client_secret, method: 'wallet' },
    });
    const live = await createPaidPayment(stack, shop.liveKey, { amount: 3_000 });
    const theirs = await createPaidPayment(stack, bystander.testKey, { amount: 2_000 });
    await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: shop.testKey,
      body: { seconds: 3_600 },
    });

    const response = await stack.call('POST', '/v1/test_helpers/reset', { as: shop.testKey });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ object: 'test_data_reset', livemode: false });
    for (const path of ['/v1/payments', '/v1/refunds', '/v1/events']) {
      const list = await stack.call('GET', path, { as: shop.testKey });
      expect(list.body.data, path).toEqual([]);
    }
    const balance = await stack.call('GET', '/v1/balance', { as: shop.testKey });
    const testTotal = [...(balance.body.available ?? []), ...(balance.body.pending ?? [])].reduce(
      (sum: number, entry: any) => sum + entry.amount,
      0,
    );
    expect(testTotal).toBe(0);
    expectError(
      await stack.call('GET', `/v1/payments/${paid.id}`, { as: shop.testKey }),
      404,
      'resource_missing',
    );
    const wallet = await stack.call('GET', '/v1/wallet', { as: payer.principal });
    expect(wallet.body).toMatchObject({ balance: 4_000, held: 0 });
    const clock = await stack.call('GET', '/v1/test_helpers/clock', { as: shop.testKey });
    expect(clock.body.offset_seconds).toBe(0);
    const liveRead = await stack.call('GET', `/v1/payments/${live.id}`, { as: shop.liveKey });
    expect(liveRead.body.status).toBe('succeeded');
    const theirRead = await stack.call('GET', `/v1/payments/${theirs.id}`, {
      as: bystander.testKey,
    });
    expect(theirRead.body.status).toBe('succeeded');
    await expectLedgerClean();
  });

  it('when the merchant pays again after a reset, then its test balance starts from zero', async () => {
    const shop = await stack.registerMerchant('Fresh Start Shop');
    await createPaidPayment(stack, shop.testKey, { amount: 5_000 });
    await stack.call('POST', '/v1/test_helpers/reset', { as: shop.testKey });

    const payment = await createPayment(stack, shop.testKey, { amount: 700 });
    const paid = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    const list = await stack.call('GET', '/v1/payments', { as: shop.testKey });

    expect(paid.body.status).toBe('succeeded');
    expect(list.body.data.map((row: any) => row.id)).toEqual([payment.id]);
    expect(
      await stack.count(
        'accounts',
        `type = 'merchant' and owner_id = '${shop.id}' and mode = 'test' and balance > 700`,
      ),
    ).toBe(0);
    await expectLedgerClean();
  });

  it('when a live key resets, then 404 and nothing changes', async () => {
    const shop = await stack.registerMerchant('Live Reset Shop');
    const paid = await createPaidPayment(stack, shop.testKey, { amount: 900 });

    const response = await stack.call('POST', '/v1/test_helpers/reset', { as: shop.liveKey });

    expectError(response, 404, 'route_not_found');
    const read = await stack.call('GET', `/v1/payments/${paid.id}`, { as: shop.testKey });
    expect(read.status).toBe(200);
  });
});
