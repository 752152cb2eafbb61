import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  invalidAmounts,
  reconciliation,
  sandboxCards,
  stackPerFile,
  topUp,
  walletBalance,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('refunds');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Refund Shop', 'Other Refund Shop');
});

const refund = (body: Record<string, unknown>, as = merchant.testKey) =>
  stack.call('POST', '/v1/refunds', { as, body });

const readPayment = async (id: string, as = merchant.testKey) =>
  (await stack.call('GET', `/v1/payments/${id}`, { as })).body;

describe('POST /v1/refunds', () => {
  it('when no amount is given, then the whole remainder is refunded', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, { amount: 8_000 });

    const response = await refund({ payment: payment.id, reason: 'requested_by_customer' });

    expect(response.status, response.text).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^re_[0-9a-z]{26}$/),
      object: 'refund',
      payment: payment.id,
      charge: payment.latest_charge,
      amount: 8_000,
      currency: 'inr',
      status: 'succeeded',
      reason: 'requested_by_customer',
      metadata: {},
      livemode: false,
      created: expect.any(Number),
    });
    expect((await readPayment(payment.id)).amount_refunded).toBe(8_000);
  });

  it('when several partial refunds reach the captured amount, then one more is refused on amount and nothing is written', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, { amount: 10_000 });
    await refund({ payment: payment.id, amount: 3_000 });
    await refund({ payment: payment.id, amount: 6_000 });
    const refunds = await stack.count('refunds', `payment_id = '${payment.id}'`);

    const tooMuch = await refund({ payment: payment.id, amount: 1_001 });
    const rest = await refund({ payment: payment.id, amount: 1_000 });
    const afterFull = await refund({ payment: payment.id });

    expectError(tooMuch, 400, 'parameter_invalid', 'amount');
    expect(refunds).toBe(2);
    expect(rest.status).toBe(201);
    expectError(afterFull, 400, 'parameter_invalid', 'payment');
    expect(await stack.count('refunds', `payment_id = '${payment.id}'`)).toBe(3);
    expect((await readPayment(payment.id)).amount_refunded).toBe(10_000);
  });

  it('when the payment was never paid or was canceled, then 400 on payment and nothing is written', async () => {
    const unpaid = await createPayment(stack, merchant.testKey);
    const canceled = await createPayment(stack, merchant.testKey);
    await stack.call('POST', `/v1/payments/${canceled.id}/cancel`, { as: merchant.testKey });
    const refunds = await stack.count('refunds');

    const first = await refund({ payment: unpaid.id });
    const second = await refund({ payment: canceled.id, amount: 100 });

    expectError(first, 400, 'parameter_invalid', 'payment');
    expectError(second, 400, 'parameter_invalid', 'payment');
    expect(await stack.count('refunds')).toBe(refunds);
  });

  it.each(invalidAmounts)(
    'when the amount is %s, then 400 on amount and nothing is written',
    async (_name, amount) => {
      const payment = await createPaidPayment(stack, merchant.testKey);
      const refunds = await stack.count('refunds');

      const response = await refund({ payment: payment.id, amount });

      expectError(response, 400, 'parameter_invalid', 'amount');
      expect(await stack.count('refunds')).toBe(refunds);
    },
  );

  it('when a wallet payment is refunded, then the money goes back to the payer’s wallet', async () => {
    const payer = await stack.registerUser('Refunded Payer');
    await topUp(stack, payer, 20_000);
    const payment = await createPayment(stack, merchant.testKey, { amount: 15_000 });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });

    const response = await refund({ payment: payment.id, amount: 4_000 });

    expect(response.status).toBe(201);
    expect(await walletBalance(stack, payer)).toBe(9_000);
  });

  it('when another merchant or the live key refunds the payment, then 404 on payment', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey);

    const foreign = await refund({ payment: payment.id }, otherMerchant.testKey);
    const live = await refund({ payment: payment.id }, merchant.liveKey);

    expectError(foreign, 404, 'resource_missing', 'payment');
    expectError(live, 404, 'resource_missing', 'payment');
    expect((await readPayment(payment.id)).amount_refunded).toBe(0);
  });

  it('when 20 refunds of one payment race, then together they never exceed the captured amount', async () => {
    const shop = await stack.registerMerchant('Racing Refunds');
    const payment = await createPaidPayment(stack, shop.testKey, { amount: 10_000 });

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        refund({ payment: payment.id, amount: 1_000 }, shop.testKey),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 400)).toHaveLength(10);
    expect((await readPayment(payment.id, shop.testKey)).amount_refunded).toBe(10_000);
    const balance = await stack.call('GET', '/v1/balance', { as: shop.testKey });
    expect(balance.body.available).toEqual([{ amount: 0, currency: 'inr' }]);
    // Refunded in full, the payment's fee came back too: nothing is left pending.
    expect(balance.body.pending).toEqual([{ amount: 0, currency: 'inr' }]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});

describe('GET /v1/refunds', () => {
  it('when the merchant lists refunds of a payment or reads one, then only its own come back', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey, { amount: 5_000 });
    const first = await refund({ payment: payment.id, amount: 1_000 });
    const second = await refund({ payment: payment.id, amount: 2_000 });

    const list = await stack.call('GET', `/v1/refunds?payment=${payment.id}`, {
      as: merchant.testKey,
    });
    const one = await stack.call('GET', `/v1/refunds/${first.body.id}`, { as: merchant.testKey });
    const foreign = await stack.call('GET', `/v1/refunds/${first.body.id}`, {
      as: otherMerchant.testKey,
    });
    const foreignList = await stack.call('GET', '/v1/refunds?limit=100', {
      as: otherMerchant.testKey,
    });

    expect(list.body.data.map((item: any) => item.id)).toEqual([second.body.id, first.body.id]);
    expect(one.body).toEqual(first.body);
    expectError(foreign, 404, 'resource_missing');
    expect(foreignList.body.data).toEqual([]);
  });
});

describe('refunds and the merchant balance', () => {
  it('when the merchant balance no longer covers a refund, then 402 balance_insufficient and nothing moves', async () => {
    const shop = await stack.registerMerchant('Paid Out Shop');
    const payment = await createPayment(stack, shop.testKey, { amount: 6_000 });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    // Two days later the net (6 000 − 420 fee) is available, and paid out in full.
    const advanced = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: shop.testKey,
      body: { seconds: 2 * 24 * 60 * 60 },
    });
    expect(advanced.status, advanced.text).toBe(200);
    const payout = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 6_000 - 420, currency: 'inr', destination: { vpa: 'success@expe' } },
    });
    expect(payout.status, payout.text).toBe(201);
    const refunds = await stack.count('refunds');

    const response = await refund({ payment: payment.id, amount: 1_000 }, shop.testKey);

    expectError(response, 402, 'balance_insufficient');
    expect(await stack.count('refunds')).toBe(refunds);
    expect((await readPayment(payment.id, shop.testKey)).amount_refunded).toBe(0);
  });
});
