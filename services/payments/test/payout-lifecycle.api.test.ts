import { describe, expect, it } from 'vitest';
import {
  balanceOf,
  createPaidPayment,
  expectError,
  reconciliation,
  stackPerFile,
  type KeyPrincipal,
  type TestMerchant,
} from './support.js';

// Payouts that take time to arrive (pending@expe), canceling a pending one and reversing a paid
// one. The background scheduler is off: a payout arrives only when the test clock passes its
// arrival_date, so "still pending" cannot pass because a timer was merely slow.
const stack = stackPerFile('payout_lifecycle', { SCHEDULER_INTERVAL_MS: '0' });

const oneDay = 24 * 60 * 60;

async function balanceTransactionsOf(key: KeyPrincipal, source: string) {
  const response = await stack.call('GET', `/v1/balance_transactions?source=${source}`, {
    as: key,
  });
  expect(response.status, response.text).toBe(200);
  return (response.body.data as any[]).map((row) => [row.type, row.net]);
}

async function payoutEvents(key: KeyPrincipal) {
  const response = await stack.call('GET', '/v1/events?type=payout.*&limit=100', { as: key });
  expect(response.status, response.text).toBe(200);
  return (response.body.data as any[]).map((event) => [event.type, event.data.object.id]);
}

async function advance(key: KeyPrincipal, seconds: number) {
  const response = await stack.call('POST', '/v1/test_helpers/clock/advance', {
    as: key,
    body: { seconds },
  });
  expect(response.status, response.text).toBe(200);
}

/** A merchant with 10,000 paid in and available (fees off, 2 days later). */
async function shopWithAvailable(name: string): Promise<TestMerchant> {
  const shop = await stack.registerMerchant(name);
  const off = await stack.call('POST', '/v1/balance_settings', {
    as: shop.testKey,
    body: { fees_enabled: false },
  });
  expect(off.status, off.text).toBe(200);
  await createPaidPayment(stack, shop.testKey, { amount: 10_000 });
  await advance(shop.testKey, 2 * oneDay);
  return shop;
}

async function payout(shop: TestMerchant, vpa: string, amount = 4_000) {
  const response = await stack.call('POST', '/v1/payouts', {
    as: shop.testKey,
    body: { amount, currency: 'inr', destination: { vpa } },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

const payoutAction = (shop: TestMerchant, id: string, action: string, body: object = {}) =>
  stack.call('POST', `/v1/payouts/${id}/${action}`, { as: shop.testKey, body });

/** What a refused request must leave as it was. */
async function writes() {
  return {
    payouts: await stack.count('payouts'),
    events: await stack.count('events'),
    ledger: await stack.count('ledger_transactions'),
  };
}

describe('a payout to pending@expe', () => {
  it('when it is created, then it is pending with its money taken, and it becomes paid when the clock reaches its arrival_date', async () => {
    const shop = await shopWithAvailable('Pending Payout Shop');

    const created = await payout(shop, 'pending@expe');
    const pendingList = await stack.call('GET', '/v1/payouts?status=pending', {
      as: shop.testKey,
    });
    const balanceWhilePending = await balanceOf(stack, shop.testKey);
    await advance(shop.testKey, oneDay - 60);
    const early = await stack.call('GET', `/v1/payouts/${created.id}`, { as: shop.testKey });
    await advance(shop.testKey, 60);
    const arrived = await stack.call('GET', `/v1/payouts/${created.id}`, { as: shop.testKey });

    expect(created).toMatchObject({
      status: 'pending',
      amount: 4_000,
      destination: { type: 'vpa', vpa: 'pending@expe' },
      original_payout: null,
      reversed_by: null,
    });
    expect(created.arrival_date - created.created).toBe(oneDay);
    expect(pendingList.body.data.map((row: any) => row.id)).toEqual([created.id]);
    expect(balanceWhilePending).toEqual({ available: 6_000, pending: 0 });
    expect(early.body.status).toBe('pending');
    expect(arrived.body).toEqual({ ...created, status: 'paid' });
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 6_000, pending: 0 });
    expect(await balanceTransactionsOf(shop.testKey, created.id)).toEqual([['payout', -4_000]]);
    expect(await payoutEvents(shop.testKey)).toEqual([
      ['payout.paid', created.id],
      ['payout.created', created.id],
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});

describe('POST /v1/payouts/:id/cancel', () => {
  it('when a pending payout is canceled, then it is canceled, its money is available again through payout_cancel, and it never arrives', async () => {
    const shop = await shopWithAvailable('Cancel Shop');
    const created = await payout(shop, 'pending@expe');

    const canceled = await payoutAction(shop, created.id, 'cancel');
    await advance(shop.testKey, 2 * oneDay);
    const read = await stack.call('GET', `/v1/payouts/${created.id}`, { as: shop.testKey });

    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toEqual({ ...created, status: 'canceled' });
    expect(read.body).toEqual(canceled.body);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 10_000, pending: 0 });
    expect(await balanceTransactionsOf(shop.testKey, created.id)).toEqual([
      ['payout_cancel', 4_000],
      ['payout', -4_000],
    ]);
    expect(await payoutEvents(shop.testKey)).toEqual([
      ['payout.canceled', created.id],
      ['payout.created', created.id],
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when ten cancels of one pending payout race, then exactly one wins, the money returns once and the ledger balances', async () => {
    const shop = await shopWithAvailable('Racing Cancel Shop');
    const created = await payout(shop, 'pending@expe');

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => payoutAction(shop, created.id, 'cancel')),
    );

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    for (const answer of answers.filter((one) => one.status !== 200)) {
      expectError(answer, 409, 'payout_unexpected_state');
      expect(answer.body.error.message).toContain('canceled');
    }
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 10_000, pending: 0 });
    expect(
      await stack.count(
        'ledger_transactions',
        `kind = 'payout_cancel' and reference = '${created.id}'`,
      ),
    ).toBe(1);
    expect(await payoutEvents(shop.testKey)).toEqual([
      ['payout.canceled', created.id],
      ['payout.created', created.id],
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the payout is not pending, unknown or another project’s, then it is refused naming why and nothing is written', async () => {
    const shop = await shopWithAvailable('Cancel Refusal Shop');
    const other = await stack.registerMerchant('Other Cancel Shop');
    const paid = await payout(shop, 'success@expe', 1_000);
    const failed = await payout(shop, 'failure@expe', 1_000);
    const pending = await payout(shop, 'pending@expe', 1_000);
    const before = await writes();

    const cancelPaid = await payoutAction(shop, paid.id, 'cancel');
    const cancelFailed = await payoutAction(shop, failed.id, 'cancel');
    const withParam = await payoutAction(shop, pending.id, 'cancel', { amount: 1 });
    const foreign = await stack.call('POST', `/v1/payouts/${pending.id}/cancel`, {
      as: other.testKey,
      body: {},
    });
    const unknown = await payoutAction(shop, 'po_0000000000000000000000000a', 'cancel');

    expectError(cancelPaid, 409, 'payout_unexpected_state');
    expect(cancelPaid.body.error.message).toBe(
      `Payout ${paid.id} is paid: only a pending payout can be canceled`,
    );
    expectError(cancelFailed, 409, 'payout_unexpected_state');
    expect(cancelFailed.body.error.message).toContain('is failed');
    expectError(withParam, 400, 'parameter_unknown', 'amount');
    expectError(foreign, 404, 'resource_missing');
    expectError(unknown, 404, 'resource_missing');
    expect(await writes()).toEqual(before);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 10_000 - 2_000, pending: 0 });
  });
});

describe('POST /v1/payouts/:id/reverse', () => {
  it('when a paid payout is reversed, then a reversal payout brings the money back and both name each other', async () => {
    const shop = await shopWithAvailable('Reverse Shop');
    const paid = await payout(shop, 'success@expe');

    const reversed = await payoutAction(shop, paid.id, 'reverse', { metadata: { why: 'test' } });
    const original = await stack.call('GET', `/v1/payouts/${paid.id}`, { as: shop.testKey });

    expect(reversed.status, reversed.text).toBe(200);
    expect(reversed.body).toMatchObject({
      object: 'payout',
      amount: 4_000,
      currency: 'inr',
      status: 'paid',
      destination: { type: 'vpa', vpa: 'success@expe' },
      original_payout: paid.id,
      reversed_by: null,
      metadata: { why: 'test' },
    });
    expect(reversed.body.id).not.toBe(paid.id);
    expect(original.body).toEqual({ ...paid, reversed_by: reversed.body.id });
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 10_000, pending: 0 });
    expect(await balanceTransactionsOf(shop.testKey, reversed.body.id)).toEqual([
      ['payout', 4_000],
    ]);
    expect(await balanceTransactionsOf(shop.testKey, paid.id)).toEqual([['payout', -4_000]]);
    expect(await payoutEvents(shop.testKey)).toEqual([
      ['payout.updated', paid.id],
      ['payout.paid', reversed.body.id],
      ['payout.created', reversed.body.id],
      ['payout.paid', paid.id],
      ['payout.created', paid.id],
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when a payout to pending@expe is reversed after it arrived, then the reversal is pending until its own arrival', async () => {
    const shop = await shopWithAvailable('Slow Reverse Shop');
    const created = await payout(shop, 'pending@expe');
    await advance(shop.testKey, oneDay);

    const reversed = await payoutAction(shop, created.id, 'reverse');
    const balance = await balanceOf(stack, shop.testKey);
    await advance(shop.testKey, oneDay);
    const arrived = await stack.call('GET', `/v1/payouts/${reversed.body.id}`, {
      as: shop.testKey,
    });

    expect(reversed.status, reversed.text).toBe(200);
    expect(reversed.body).toMatchObject({ status: 'pending', original_payout: created.id });
    expect(balance).toEqual({ available: 10_000, pending: 0 });
    expect(arrived.body).toEqual({ ...reversed.body, status: 'paid' });
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when five reverses of one paid payout race, then exactly one reversal is made', async () => {
    const shop = await shopWithAvailable('Racing Reverse Shop');
    const paid = await payout(shop, 'success@expe');

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => payoutAction(shop, paid.id, 'reverse')),
    );

    const won = answers.filter((answer) => answer.status === 200);
    expect(won).toHaveLength(1);
    for (const answer of answers.filter((one) => one.status !== 200)) {
      expectError(answer, 409, 'payout_unexpected_state');
      expect(answer.body.error.message).toContain(`already reversed by ${won[0]!.body.id}`);
    }
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 10_000, pending: 0 });
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the payout is pending, failed, a reversal, or the body is bad, then it is refused naming why and nothing is written', async () => {
    const shop = await shopWithAvailable('Reverse Refusal Shop');
    const pending = await payout(shop, 'pending@expe', 1_000);
    const failed = await payout(shop, 'failure@expe', 1_000);
    const paid = await payout(shop, 'success@expe', 1_000);
    const reversal = await payoutAction(shop, paid.id, 'reverse');
    expect(reversal.status, reversal.text).toBe(200);
    const before = await writes();

    const reversePending = await payoutAction(shop, pending.id, 'reverse');
    const reverseFailed = await payoutAction(shop, failed.id, 'reverse');
    const reverseReversal = await payoutAction(shop, reversal.body.id, 'reverse');
    const cancelReversal = await payoutAction(shop, reversal.body.id, 'cancel');
    const badMetadata = await payoutAction(shop, pending.id, 'reverse', { metadata: 'x' });
    const unknownParam = await payoutAction(shop, paid.id, 'reverse', { amount: 5 });

    expectError(reversePending, 409, 'payout_unexpected_state');
    expect(reversePending.body.error.message).toContain('POST /v1/payouts/:id/cancel');
    expectError(reverseFailed, 409, 'payout_unexpected_state');
    expect(reverseFailed.body.error.message).toContain('only a paid payout can be reversed');
    expectError(reverseReversal, 409, 'payout_unexpected_state');
    expect(reverseReversal.body.error.message).toContain('a reversal cannot be reversed');
    expectError(cancelReversal, 409, 'payout_unexpected_state');
    expectError(badMetadata, 400, 'parameter_invalid', 'metadata');
    expectError(unknownParam, 400, 'parameter_unknown', 'amount');
    expect(await writes()).toEqual(before);
  });
});
