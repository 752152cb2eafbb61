import { beforeAll, describe, expect, it } from 'vitest';
import {
  balanceOf,
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  reconciliation,
  stackPerFile,
  type KeyPrincipal,
  type TestMerchant,
} from './support.js';

// Sandbox fees, balance transactions, pending → available, payouts. The background scheduler is
// off: funds become available only when the test clock is advanced, so "still pending" cannot pass
// because a timer was merely slow.
const stack = stackPerFile('balance', { SCHEDULER_INTERVAL_MS: '0' });
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Ledger Shop', 'Other Ledger Shop');
});

const twoDays = 2 * 24 * 60 * 60;

async function balanceTransactions(key: KeyPrincipal, query = '') {
  const response = await stack.call('GET', `/v1/balance_transactions?limit=100${query}`, {
    as: key,
  });
  expect(response.status, response.text).toBe(200);
  return response.body.data as any[];
}

async function advance(key: KeyPrincipal, seconds: number) {
  const response = await stack.call('POST', '/v1/test_helpers/clock/advance', {
    as: key,
    body: { seconds },
  });
  expect(response.status, response.text).toBe(200);
}

/** A merchant with `amount` paid in and available (fees off, 2 days later). */
async function merchantWithAvailable(name: string, amounts: number[]): Promise<TestMerchant> {
  const shop = await stack.registerMerchant(name);
  const off = await stack.call('POST', '/v1/balance_settings', {
    as: shop.testKey,
    body: { fees_enabled: false },
  });
  expect(off.status, off.text).toBe(200);
  for (const amount of amounts) await createPaidPayment(stack, shop.testKey, { amount });
  await advance(shop.testKey, twoDays);
  return shop;
}

describe('fees and balance transactions', () => {
  it('when a payment succeeds, then 2% + ₹3 is charged and the net is pending for 2 days', async () => {
    const shop = await stack.registerMerchant('Fee Shop');
    const payment = await createPaidPayment(stack, shop.testKey, { amount: 12_345 });

    const [transaction] = await balanceTransactions(shop.testKey);
    const one = await stack.call('GET', `/v1/balance_transactions/${transaction.id}`, {
      as: shop.testKey,
    });

    expect(transaction).toMatchObject({
      object: 'balance_transaction',
      type: 'payment',
      source: payment.id,
      amount: 12_345,
      fee: 247 + 300,
      net: 12_345 - 547,
      currency: 'inr',
      status: 'pending',
      livemode: false,
    });
    expect(transaction.available_on - transaction.created).toBe(twoDays);
    expect(one.body).toEqual(transaction);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 12_345 - 547 });
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the clock passes available_on, then the funds move from pending to available, once', async () => {
    const shop = await stack.registerMerchant('Waiting Shop');
    await createPaidPayment(stack, shop.testKey, { amount: 10_000 });

    await advance(shop.testKey, twoDays - 60);
    const early = await balanceOf(stack, shop.testKey);
    await advance(shop.testKey, 60);
    const due = await balanceOf(stack, shop.testKey);
    await advance(shop.testKey, twoDays);

    expect(early).toEqual({ available: 0, pending: 9_500 });
    expect(due).toEqual({ available: 9_500, pending: 0 });
    expect(await balanceOf(stack, shop.testKey)).toEqual(due);
    expect((await balanceTransactions(shop.testKey))[0].status).toBe('available');
    expect(await stack.count('ledger_transactions', `kind = 'availability'`)).toBeGreaterThan(0);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when fees are turned off, then later payments are credited in full', async () => {
    const shop = await stack.registerMerchant('No Fee Shop');

    const before = await stack.call('GET', '/v1/balance_settings', { as: shop.testKey });
    const off = await stack.call('POST', '/v1/balance_settings', {
      as: shop.testKey,
      body: { fees_enabled: false },
    });
    await createPaidPayment(stack, shop.testKey, { amount: 10_000 });

    expect(before.body).toEqual({ object: 'balance_settings', fees_enabled: true });
    expect(off.body).toEqual({ object: 'balance_settings', fees_enabled: false });
    expect((await balanceTransactions(shop.testKey))[0]).toMatchObject({ fee: 0, net: 10_000 });
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 10_000 });
  });

  it('when a pending payment is refunded in parts, then each refund returns its share of the fee from pending and the whole fee comes back', async () => {
    const shop = await stack.registerMerchant('Refund Fee Shop');
    const payment = await createPaidPayment(stack, shop.testKey, { amount: 10_001 });

    for (const amount of [3_333, 3_333, 3_335]) {
      const refund = await stack.call('POST', '/v1/refunds', {
        as: shop.testKey,
        body: { payment: payment.id, amount },
      });
      expect(refund.status, refund.text).toBe(201);
    }

    const refunds = await balanceTransactions(shop.testKey, '&type=refund');
    expect(refunds).toHaveLength(3);
    expect(refunds.every((row) => row.status === 'pending')).toBe(true);
    expect(refunds.reduce((sum, row) => sum + row.fee, 0)).toBe(-(200 + 300));
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 0 });
    await advance(shop.testKey, twoDays);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 0 });
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when listing, then type and source filter, cursors page, and other merchants and modes see nothing', async () => {
    const first = await createPaidPayment(stack, merchant.testKey, { amount: 1_000 });
    const second = await createPaidPayment(stack, merchant.testKey, { amount: 2_000 });

    const bySource = await balanceTransactions(merchant.testKey, `&source=${first.id}`);
    const page = await stack.call('GET', '/v1/balance_transactions?limit=1', {
      as: merchant.testKey,
    });
    const next = await stack.call(
      'GET',
      `/v1/balance_transactions?limit=1&starting_after=${page.body.data[0].id}`,
      { as: merchant.testKey },
    );
    const foreign = await stack.call('GET', `/v1/balance_transactions/${bySource[0].id}`, {
      as: otherMerchant.testKey,
    });
    const live = await stack.call('GET', `/v1/balance_transactions/${bySource[0].id}`, {
      as: merchant.liveKey,
    });

    expect(bySource.map((row) => row.source)).toEqual([first.id]);
    expect(page.body.has_more).toBe(true);
    expect(page.body.data[0].source).toBe(second.id);
    expect(next.body.data[0].source).toBe(first.id);
    expectError(foreign, 404, 'resource_missing');
    expectError(live, 404, 'resource_missing');
    expect(await balanceTransactions(otherMerchant.testKey)).toEqual([]);
    expect(await balanceTransactions(merchant.liveKey)).toEqual([]);
  });

  it('when list parameters or settings are bad, then 400 names the field', async () => {
    const badType = await stack.call('GET', '/v1/balance_transactions?type=gift', {
      as: merchant.testKey,
    });
    const badSource = await stack.call('GET', '/v1/balance_transactions?source=xyz', {
      as: merchant.testKey,
    });
    const badSetting = await stack.call('POST', '/v1/balance_settings', {
      as: merchant.testKey,
      body: { fees_enabled: 'no' },
    });

    expectError(badType, 400, 'parameter_invalid', 'type');
    expectError(badSource, 400, 'parameter_invalid', 'source');
    expectError(badSetting, 400, 'parameter_invalid', 'fees_enabled');
  });
  it('when 10 refunds race the clock making the payment available, then each comes out of pending or available, never both, and the books stay exact', async () => {
    const shop = await stack.registerMerchant('Racing Availability');
    await stack.call('POST', '/v1/balance_settings', {
      as: shop.testKey,
      body: { fees_enabled: false },
    });
    const payment = await createPaidPayment(stack, shop.testKey, { amount: 10_000 });

    const [, ...refunds] = await Promise.all([
      advance(shop.testKey, twoDays),
      ...Array.from({ length: 10 }, () =>
        stack.call('POST', '/v1/refunds', {
          as: shop.testKey,
          body: { payment: payment.id, amount: 500 },
        }),
      ),
    ]);

    for (const refund of refunds) expect(refund.status, refund.text).toBe(201);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 5_000, pending: 0 });
    const rows = await balanceTransactions(shop.testKey, '&type=refund');
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.status === 'available')).toBe(true);
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});

describe('POST /v1/payouts', () => {
  it('when paying out to success@expe, then it is paid from the available balance with a payout balance transaction and payout.paid', async () => {
    const shop = await merchantWithAvailable('Payout Shop', [10_000]);

    const response = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 4_000, currency: 'inr', destination: { vpa: 'success@expe' } },
    });
    const read = await stack.call('GET', `/v1/payouts/${response.body.id}`, { as: shop.testKey });
    const list = await stack.call('GET', '/v1/payouts', { as: shop.testKey });
    const events = await stack.call('GET', '/v1/events?type=payout.*', { as: shop.testKey });

    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({
      object: 'payout',
      amount: 4_000,
      currency: 'inr',
      status: 'paid',
      destination: { type: 'vpa', vpa: 'success@expe' },
      failure_code: null,
    });
    expect(read.body).toEqual(response.body);
    expect(list.body.data.map((row: any) => row.id)).toEqual([response.body.id]);
    expect(events.body.data.map((event: any) => event.type)).toEqual([
      'payout.paid',
      'payout.created',
    ]);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 6_000, pending: 0 });
    expect(await balanceTransactions(shop.testKey, `&source=${response.body.id}`)).toEqual([
      expect.objectContaining({ type: 'payout', amount: -4_000, fee: 0, net: -4_000 }),
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when paying out to failure@expe, then the payout fails, the money returns and payout.failed is sent', async () => {
    const shop = await merchantWithAvailable('Failing Payout Shop', [10_000]);

    const response = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 10_000, currency: 'inr', destination: { vpa: 'failure@expe' } },
    });
    const events = await stack.call('GET', '/v1/events?type=payout.*', { as: shop.testKey });

    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ status: 'failed', failure_code: 'could_not_process' });
    expect(events.body.data.map((event: any) => event.type)).toEqual([
      'payout.failed',
      'payout.created',
    ]);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 10_000, pending: 0 });
    const rows = await balanceTransactions(shop.testKey, `&source=${response.body.id}`);
    expect(rows.map((row) => [row.type, row.net])).toEqual([
      ['payout_failure', 10_000],
      ['payout', -10_000],
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the payout is more than the available balance (pending does not count), then 402 payout_exceeds_available and nothing is written', async () => {
    const shop = await merchantWithAvailable('Short Shop', [5_000]);
    await createPaidPayment(stack, shop.testKey, { amount: 50_000 }); // still pending
    const payoutsBefore = await stack.count('payouts');
    const eventsBefore = await stack.count('events');

    const response = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 5_001, currency: 'inr', destination: { vpa: 'success@expe' } },
    });

    expectError(response, 402, 'payout_exceeds_available', 'amount');
    expect(await stack.count('payouts')).toBe(payoutsBefore);
    expect(await stack.count('events')).toBe(eventsBefore);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 5_000, pending: 50_000 });
  });

  it('when the body is bad, then 400 names the field and nothing is written', async () => {
    const payoutsBefore = await stack.count('payouts');
    const cases: [unknown, string][] = [
      [{ currency: 'inr', destination: { vpa: 'success@expe' } }, 'amount'],
      [{ amount: 0, currency: 'inr', destination: { vpa: 'success@expe' } }, 'amount'],
      [{ amount: 1.5, currency: 'inr', destination: { vpa: 'success@expe' } }, 'amount'],
      [{ amount: '100', currency: 'inr', destination: { vpa: 'success@expe' } }, 'amount'],
      [{ amount: 100, currency: 'xyz', destination: { vpa: 'success@expe' } }, 'currency'],
      [{ amount: 100, currency: 'inr' }, 'destination'],
      [{ amount: 100, currency: 'inr', destination: { vpa: 'not a vpa' } }, 'destination[vpa]'],
      [{ amount: 100, currency: 'inr', destination: { vpa: 'someone@bank' } }, 'destination[vpa]'],
      [{ amount: 100, currency: 'inr', destination: { vpa: 'success@expe' }, extra: 1 }, 'extra'],
    ];
    for (const [body, param] of cases) {
      const response = await stack.call('POST', '/v1/payouts', { as: merchant.testKey, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.param, JSON.stringify(body)).toBe(param);
    }
    expect(await stack.count('payouts')).toBe(payoutsBefore);
  });

  it('when another merchant or the live key reads a payout, then 404', async () => {
    const shop = await merchantWithAvailable('Private Payout Shop', [1_000]);
    const payout = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 500, currency: 'inr', destination: { vpa: 'success@expe' } },
    });

    const foreign = await stack.call('GET', `/v1/payouts/${payout.body.id}`, {
      as: otherMerchant.testKey,
    });
    const live = await stack.call('GET', `/v1/payouts/${payout.body.id}`, { as: shop.liveKey });
    const liveList = await stack.call('GET', '/v1/payouts', { as: shop.liveKey });

    expectError(foreign, 404, 'resource_missing');
    expectError(live, 404, 'resource_missing');
    expect(liveList.body.data).toEqual([]);
  });

  it('when a payout\'s metadata is updated, then keys merge, "" unsets one, payout.updated is sent, and a bad key, another merchant or the live key change nothing', async () => {
    const shop = await merchantWithAvailable('Payout Metadata Shop', [1_000]);
    const created = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: {
        amount: 500,
        currency: 'inr',
        destination: { vpa: 'success@expe' },
        metadata: { batch: '7', region: 'north' },
      },
    });
    expect(created.status, created.text).toBe(201);
    const path = `/v1/payouts/${created.body.id}`;

    const merged = await stack.call('POST', path, {
      as: shop.testKey,
      body: { metadata: { region: '', reconciled: 'yes' } },
    });
    const unchanged = await stack.call('POST', path, {
      as: shop.testKey,
      body: { metadata: { reconciled: 'yes' } },
    });
    const bad = await stack.call('POST', path, {
      as: shop.testKey,
      body: { metadata: { reconciled: 'no' }, amount: 1 },
    });
    const foreign = await stack.call('POST', path, {
      as: otherMerchant.testKey,
      body: { metadata: { taken: 'over' } },
    });
    const live = await stack.call('POST', path, {
      as: shop.liveKey,
      body: { metadata: { taken: 'over' } },
    });
    const read = await stack.call('GET', path, { as: shop.testKey });
    const events = await stack.call('GET', '/v1/events?type=payout.*', { as: shop.testKey });

    expect(merged.status, merged.text).toBe(200);
    expect(merged.body).toMatchObject({
      id: created.body.id,
      status: 'paid',
      amount: 500,
      metadata: { batch: '7', reconciled: 'yes' },
    });
    expect(unchanged.body).toEqual(merged.body);
    expectError(bad, 400, 'parameter_unknown', 'amount');
    expectError(foreign, 404, 'resource_missing');
    expectError(live, 404, 'resource_missing');
    expect(read.body).toEqual(merged.body);
    expect(events.body.data.map((event: any) => event.type)).toEqual([
      'payout.updated',
      'payout.paid',
      'payout.created',
    ]);
    expect(events.body.data[0].data.object.metadata).toEqual({ batch: '7', reconciled: 'yes' });
  });

  it('when 20 payouts race 10 refunds, then the available balance never goes below zero and the ledger stays exact', async () => {
    const shop = await merchantWithAvailable('Racing Payouts', [10_000, 10_000]);
    const paid = await stack.call('GET', '/v1/balance_transactions?type=payment', {
      as: shop.testKey,
    });
    const paymentIds = paid.body.data.map((row: any) => row.source as string);

    const payouts = Array.from({ length: 20 }, () =>
      stack.call('POST', '/v1/payouts', {
        as: shop.testKey,
        body: { amount: 1_500, currency: 'inr', destination: { vpa: 'success@expe' } },
      }),
    );
    const refunds = Array.from({ length: 10 }, (_, i) =>
      stack.call('POST', '/v1/refunds', {
        as: shop.testKey,
        body: { payment: paymentIds[i % 2], amount: 1_000 },
      }),
    );
    const payoutAnswers = await Promise.all(payouts);
    const refundAnswers = await Promise.all(refunds);

    const paidOut = payoutAnswers.filter((answer) => answer.status === 201).length * 1_500;
    const refunded = refundAnswers.filter((answer) => answer.status === 201).length * 1_000;
    for (const answer of [...payoutAnswers, ...refundAnswers]) {
      expect([201, 402], answer.text).toContain(answer.status);
    }
    expect(paidOut + refunded).toBeLessThanOrEqual(20_000);
    expect(paidOut + refunded).toBeGreaterThan(20_000 - 1_500);
    expect(await balanceOf(stack, shop.testKey)).toEqual({
      available: 20_000 - paidOut - refunded,
      pending: 0,
    });
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});

describe('GET /v1/balance', () => {
  it('when test and live payments succeed, then each mode shows its own pending and available per currency', async () => {
    const shop = await stack.registerMerchant('Two Mode Shop');
    await createPaidPayment(stack, shop.testKey, { amount: 1_000, currency: 'usd' });

    const test = await stack.call('GET', '/v1/balance', { as: shop.testKey });
    const live = await stack.call('GET', '/v1/balance', { as: shop.liveKey });

    expect(test.body).toEqual({
      object: 'balance',
      livemode: false,
      available: [
        { amount: 0, currency: 'inr' },
        { amount: 0, currency: 'usd' },
      ],
      pending: [
        { amount: 0, currency: 'inr' },
        { amount: 1_000 - 20 - 30, currency: 'usd' },
      ],
    });
    expect(live.body).toEqual({
      object: 'balance',
      livemode: true,
      available: [{ amount: 0, currency: 'inr' }],
      pending: [{ amount: 0, currency: 'inr' }],
    });
  });
});

describe('a payment confirmed while unpaid', () => {
  it('when a payment never succeeds, then it writes no balance transaction', async () => {
    const shop = await stack.registerMerchant('Unpaid Shop');
    const payment = await createPayment(stack, shop.testKey);
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, '4000000000000002'),
    });

    expect(await balanceTransactions(shop.testKey)).toEqual([]);
  });
});

describe('POST /v1/test_helpers/reset', () => {
  it('when a merchant with payouts and disputes resets, then its balance, balance transactions, payouts and disputes are empty and the books still balance', async () => {
    const shop = await merchantWithAvailable('Reset Money Shop', [10_000]);
    const payout = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 1_000, currency: 'inr', destination: { vpa: 'success@expe' } },
    });
    expect(payout.status, payout.text).toBe(201);
    const disputed = await createPayment(stack, shop.testKey, { amount: 5_000 });
    await stack.call('POST', `/v1/payments/${disputed.id}/confirm`, {
      body: cardBody(disputed.client_secret, '4000000000000259'),
    });
    await createPaidPayment(stack, shop.testKey, { amount: 2_000 }); // still pending

    const reset = await stack.call('POST', '/v1/test_helpers/reset', { as: shop.testKey });
    const lists = await Promise.all(
      ['/v1/balance_transactions', '/v1/payouts', '/v1/disputes'].map((path) =>
        stack.call('GET', path, { as: shop.testKey }),
      ),
    );

    expect(reset.status, reset.text).toBe(200);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 0 });
    for (const list of lists) expect(list.body.data, list.text).toEqual([]);
    expect((await reconciliation(stack)).ok).toBe(true);
    await advance(shop.testKey, twoDays);
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});

describe('who may call the money routes', () => {
  it('when a publishable key, a signed-in person or nobody calls them, then 403 or 401 and nothing is written', async () => {
    const payoutsBefore = await stack.count('payouts');
    const routes: [method: 'GET' | 'POST', path: string, body?: unknown][] = [
      ['GET', '/v1/balance_transactions'],
      ['GET', '/v1/balance_settings'],
      ['POST', '/v1/balance_settings', { fees_enabled: false }],
      ['GET', '/v1/payouts'],
      [
        'POST',
        '/v1/payouts',
        { amount: 100, currency: 'inr', destination: { vpa: 'success@expe' } },
      ],
      ['GET', '/v1/disputes'],
    ];
    for (const [method, path, body] of routes) {
      const publishable = await stack.call(method, path, { as: merchant.publishableTestKey, body });
      const person = await stack.call(method, path, { as: merchant.owner.principal, body });
      const nobody = await stack.call(method, path, { body });
      expect(publishable.status, `${method} ${path}`).toBe(403);
      expect([401, 403], `${method} ${path}`).toContain(person.status);
      expect(nobody.status, `${method} ${path}`).toBe(401);
    }
    expect(await stack.count('payouts')).toBe(payoutsBefore);
    const settings = await stack.call('GET', '/v1/balance_settings', { as: merchant.testKey });
    expect(settings.body.fees_enabled).toBe(true);
  });
});
