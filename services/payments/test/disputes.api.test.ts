import { beforeAll, describe, expect, it } from 'vitest';
import {
  balanceOf,
  createPaidPayment,
  expectError,
  payWithCard,
  reconciliation,
  stackPerFile,
  type KeyPrincipal,
  type TestMerchant,
} from './support.js';

// Disputes: the sandbox's dispute card, evidence outcomes, the deadline on the test
// clock, and refunds refused or racing. The scheduler is off: only the test clock moves time.
const stack = stackPerFile('disputes', { SCHEDULER_INTERVAL_MS: '0' });
let otherMerchant: TestMerchant;

beforeAll(async () => {
  otherMerchant = await stack.registerMerchant('Other Dispute Shop');
});

const disputeCard = '4000000000000259';
const day = 24 * 60 * 60;

/** A payment paid with the dispute card, and its dispute. */
async function disputedPayment(shop: TestMerchant, amount = 10_000) {
  const payment = await payWithCard(stack, shop.testKey, disputeCard, { amount });
  const list = await stack.call('GET', `/v1/disputes?payment=${payment.id}`, { as: shop.testKey });
  expect(list.body.data, list.text).toHaveLength(1);
  return { payment, dispute: list.body.data[0] };
}

async function eventTypes(key: KeyPrincipal, prefix: string): Promise<string[]> {
  const response = await stack.call('GET', `/v1/events?type=${prefix}.*&limit=100`, { as: key });
  return response.body.data.map((event: any) => event.type).reverse();
}

async function advance(key: KeyPrincipal, seconds: number) {
  const response = await stack.call('POST', '/v1/test_helpers/clock/advance', {
    as: key,
    body: { seconds },
  });
  expect(response.status, response.text).toBe(200);
}

describe('the dispute card', () => {
  it('when a payment is paid with 4000000000000259, then it succeeds, a dispute opens and the merchant is debited once', async () => {
    const shop = await stack.registerMerchant('Disputed Shop');

    const { payment, dispute } = await disputedPayment(shop, 10_000);
    const read = await stack.call('GET', `/v1/disputes/${dispute.id}`, { as: shop.testKey });
    const transactions = await stack.call('GET', `/v1/balance_transactions?source=${dispute.id}`, {
      as: shop.testKey,
    });

    expect(payment.status).toBe('succeeded');
    expect(dispute).toMatchObject({
      object: 'dispute',
      payment: payment.id,
      amount: 10_000,
      currency: 'inr',
      status: 'needs_response',
      reason: 'fraudulent',
      evidence: { uncategorized_text: null },
      livemode: false,
    });
    expect(dispute.evidence_due_by - dispute.created).toBe(7 * day);
    expect(read.body).toEqual(dispute);
    expect(transactions.body.data).toEqual([
      expect.objectContaining({ type: 'dispute', amount: -10_000, fee: -500, net: -9_500 }),
    ]);
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 0 });
    expect(await eventTypes(shop.testKey, 'dispute')).toEqual(['dispute.created']);
    expect(await stack.count('ledger_transactions', `kind = 'dispute'`)).toBeGreaterThan(0);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the disputed payment is refunded, then 400 payment_disputed and nothing moves', async () => {
    const shop = await stack.registerMerchant('No Refund Shop');
    await createPaidPayment(stack, shop.testKey, { amount: 50_000 }); // money that could pay it
    const { payment } = await disputedPayment(shop);
    const refundsBefore = await stack.count('refunds');

    const response = await stack.call('POST', '/v1/refunds', {
      as: shop.testKey,
      body: { payment: payment.id, amount: 100 },
    });

    expectError(response, 400, 'payment_disputed', 'payment');
    expect(await stack.count('refunds')).toBe(refundsBefore);
  });
});

describe('POST /v1/disputes/:id', () => {
  it('when the evidence is winning_evidence, then the dispute is won, the money comes back once and dispute.closed is sent', async () => {
    const shop = await stack.registerMerchant('Winning Shop');
    const { dispute } = await disputedPayment(shop, 10_000);

    const response = await stack.call('POST', `/v1/disputes/${dispute.id}`, {
      as: shop.testKey,
      body: { evidence: { uncategorized_text: 'winning_evidence' } },
    });
    const again = await stack.call('POST', `/v1/disputes/${dispute.id}`, {
      as: shop.testKey,
      body: { evidence: { uncategorized_text: 'winning_evidence' } },
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      status: 'won',
      evidence: { uncategorized_text: 'winning_evidence' },
    });
    expectError(again, 409, 'dispute_closed');
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 9_500 });
    expect(await eventTypes(shop.testKey, 'dispute')).toEqual([
      'dispute.created',
      'dispute.closed',
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it('when the evidence is losing_evidence or other text, then other text is kept (dispute.updated) and losing_evidence loses it', async () => {
    const shop = await stack.registerMerchant('Losing Shop');
    const { dispute } = await disputedPayment(shop);

    const kept = await stack.call('POST', `/v1/disputes/${dispute.id}`, {
      as: shop.testKey,
      body: { evidence: { uncategorized_text: 'The parcel was delivered.' } },
    });
    const lost = await stack.call('POST', `/v1/disputes/${dispute.id}`, {
      as: shop.testKey,
      body: { evidence: { uncategorized_text: 'losing_evidence' } },
    });

    expect(kept.body).toMatchObject({
      status: 'needs_response',
      evidence: { uncategorized_text: 'The parcel was delivered.' },
    });
    expect(lost.body.status).toBe('lost');
    expect(await balanceOf(stack, shop.testKey)).toEqual({ available: 0, pending: 0 });
    expect(await eventTypes(shop.testKey, 'dispute')).toEqual([
      'dispute.created',
      'dispute.updated',
      'dispute.closed',
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });

  it("when Stripe's text evidence fields are given, then they are kept and merged with what was given before, and the dispute stays open", async () => {
    const shop = await stack.registerMerchant('Evidence Fields Shop');
    const { dispute } = await disputedPayment(shop);
    const path = `/v1/disputes/${dispute.id}`;

    const first = await stack.call('POST', path, {
      as: shop.testKey,
      body: {
        evidence: {
          customer_name: 'A Name',
          customer_email_address: 'a.name@example.com',
          product_description: 'A kettle',
          shipping_tracking_number: 'TRACK123',
        },
      },
    });
    const second = await stack.call('POST', path, {
      as: shop.testKey,
      body: {
        evidence: {
          customer_name: 'A. Name',
          service_date: '2026-03-03',
          refund_policy_disclosure: 'Shown at checkout',
          cancellation_policy_disclosure: 'Shown at checkout',
        },
      },
    });
    const read = await stack.call('GET', path, { as: shop.testKey });

    expect(first.status, first.text).toBe(200);
    expect(second.status, second.text).toBe(200);
    expect(second.body.status).toBe('needs_response');
    expect(second.body.evidence).toMatchObject({
      customer_name: 'A. Name',
      customer_email_address: 'a.name@example.com',
      product_description: 'A kettle',
      shipping_tracking_number: 'TRACK123',
      service_date: '2026-03-03',
      refund_policy_disclosure: 'Shown at checkout',
      cancellation_policy_disclosure: 'Shown at checkout',
      uncategorized_text: null,
      billing_address: null,
    });
    expect(read.body).toEqual(second.body);
    expect(await eventTypes(shop.testKey, 'dispute')).toEqual([
      'dispute.created',
      'dispute.updated',
      'dispute.updated',
    ]);
  });

  it('when the body is bad, or another merchant or mode asks, then 400 names the field or 404, and nothing changes', async () => {
    const shop = await stack.registerMerchant('Strict Dispute Shop');
    const { dispute } = await disputedPayment(shop);
    const bodies: [unknown, string][] = [
      [{}, 'evidence'],
      [{ evidence: {} }, 'evidence'],
      [{ evidence: { uncategorized_text: '' } }, 'evidence[uncategorized_text]'],
      [{ evidence: { uncategorized_text: 5 } }, 'evidence[uncategorized_text]'],
      [{ evidence: { customer_name: 'x'.repeat(5_001) } }, 'evidence[customer_name]'],
      // A file (Stripe's file ids) is not taken, and is named.
      [{ evidence: { uncategorized_text: 'x', receipt: 'file_1' } }, 'evidence[receipt]'],
      [
        { evidence: { customer_name: 'x', shipping_documentation: 'y' } },
        'evidence[shipping_documentation]',
      ],
      [{ evidence: { uncategorized_text: 'x', made_up: 'y' } }, 'evidence[made_up]'],
    ];

    for (const [body, param] of bodies) {
      const response = await stack.call('POST', `/v1/disputes/${dispute.id}`, {
        as: shop.testKey,
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.param, JSON.stringify(body)).toBe(param);
    }
    const foreign = await stack.call('POST', `/v1/disputes/${dispute.id}`, {
      as: otherMerchant.testKey,
      body: { evidence: { uncategorized_text: 'winning_evidence' } },
    });
    const live = await stack.call('POST', `/v1/disputes/${dispute.id}/close`, {
      as: shop.liveKey,
    });
    const foreignRead = await stack.call('GET', `/v1/disputes/${dispute.id}`, {
      as: otherMerchant.testKey,
    });
    const liveList = await stack.call('GET', '/v1/disputes', { as: shop.liveKey });
    const badStatus = await stack.call('GET', '/v1/disputes?status=open', { as: shop.testKey });

    expectError(foreign, 404, 'resource_missing');
    expectError(live, 404, 'resource_missing');
    expectError(foreignRead, 404, 'resource_missing');
    expectError(badStatus, 400, 'parameter_invalid', 'status');
    expect(liveList.body.data).toEqual([]);
    const after = await stack.call('GET', `/v1/disputes/${dispute.id}`, { as: shop.testKey });
    expect(after.body).toEqual(dispute);
  });
});

describe('closing a dispute', () => {
  it('when the merchant closes it, then it is lost and closing again is 409 dispute_closed', async () => {
    const shop = await stack.registerMerchant('Closing Shop');
    const { dispute } = await disputedPayment(shop);

    const closed = await stack.call('POST', `/v1/disputes/${dispute.id}/close`, {
      as: shop.testKey,
    });
    const again = await stack.call('POST', `/v1/disputes/${dispute.id}/close`, {
      as: shop.testKey,
    });

    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.status).toBe('lost');
    expectError(again, 409, 'dispute_closed');
  });

  it('when evidence_due_by passes on the test clock, then the dispute is lost', async () => {
    const shop = await stack.registerMerchant('Late Shop');
    const { dispute } = await disputedPayment(shop);

    await advance(shop.testKey, 7 * day - 60);
    const before = await stack.call('GET', `/v1/disputes/${dispute.id}`, { as: shop.testKey });
    await advance(shop.testKey, 60);
    const after = await stack.call('GET', `/v1/disputes/${dispute.id}`, { as: shop.testKey });

    expect(before.body.status).toBe('needs_response');
    expect(after.body.status).toBe('lost');
    expect(await eventTypes(shop.testKey, 'dispute')).toEqual([
      'dispute.created',
      'dispute.closed',
    ]);
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});

describe('refunds racing a dispute', () => {
  it('when 10 refunds race the winning evidence, then refunds are refused before the win and succeed after, and the ledger stays exact', async () => {
    const shop = await stack.registerMerchant('Race Dispute Shop');
    const { payment, dispute } = await disputedPayment(shop, 10_000);

    const [win, ...refunds] = await Promise.all([
      stack.call('POST', `/v1/disputes/${dispute.id}`, {
        as: shop.testKey,
        body: { evidence: { uncategorized_text: 'winning_evidence' } },
      }),
      ...Array.from({ length: 10 }, () =>
        stack.call('POST', '/v1/refunds', {
          as: shop.testKey,
          body: { payment: payment.id, amount: 1_000 },
        }),
      ),
    ]);

    expect(win.body.status).toBe('won');
    const succeeded = refunds.filter((response) => response.status === 201).length;
    for (const response of refunds) {
      if (response.status !== 201) expectError(response, 400, 'payment_disputed', 'payment');
    }
    const read = await stack.call('GET', `/v1/payments/${payment.id}`, { as: shop.testKey });
    expect(read.body.amount_refunded).toBe(succeeded * 1_000);
    const refundFees = succeeded * 50;
    expect(await balanceOf(stack, shop.testKey)).toEqual({
      available: 0,
      pending: 9_500 - succeeded * 1_000 + refundFees,
    });
    expect((await reconciliation(stack)).ok).toBe(true);
  });
});
