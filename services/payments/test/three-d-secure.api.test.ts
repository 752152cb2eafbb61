import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPayment,
  expectError,
  sandboxCards,
  stackPerFile,
  type TestMerchant,
} from './support.js';

const threeDSecureCard = '4000002500003155';

const stack = stackPerFile('three_d_secure', { SCHEDULER_INTERVAL_MS: '0' });
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Challenge Shop');
});

async function challengedPayment(body: Record<string, unknown> = {}) {
  const payment = await createPayment(stack, merchant.testKey, body);
  const confirmed = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
    body: cardBody(payment.client_secret, threeDSecureCard),
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { payment, confirmed: confirmed.body };
}

function authenticate(id: string, body: Record<string, unknown>) {
  return stack.call('POST', `/v1/payments/${id}/authenticate`, { body });
}

const writes = (id: string) =>
  Promise.all([
    stack.count('events', `payment_id = '${id}'`),
    stack.count('ledger_transactions', `reference = '${id}'`),
  ]);

describe('3-D Secure', () => {
  it('when the card asks for 3-D Secure, then confirm answers requires_action with the hosted challenge page and moves no money', async () => {
    const { payment, confirmed } = await challengedPayment();
    const events = await stack.call('GET', '/v1/events?limit=3', { as: merchant.testKey });

    expect(confirmed.status).toBe('requires_action');
    expect(confirmed.next_action).toEqual({
      type: 'redirect_to_url',
      redirect_to_url: {
        url: `https://checkout.expe.test/pay/${payment.id}/authenticate#${payment.client_secret}`,
      },
    });
    expect(events.body.data[0]).toMatchObject({
      type: 'payment.requires_action',
      data: { object: { id: payment.id, status: 'requires_action' } },
    });
    // The stored event never carries the client secret.
    expect(JSON.stringify(events.body.data[0])).not.toContain(payment.client_secret);
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(0);
  });

  it('when the challenge is completed, then the payment succeeds and the money moves once', async () => {
    const { payment } = await challengedPayment({ amount: 12_300 });

    const response = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'complete',
    });
    const again = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'complete',
    });
    const timeline = await stack.call('GET', `/v1/payments/${payment.id}/timeline`, {
      as: merchant.testKey,
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      status: 'succeeded',
      amount_received: 12_300,
      next_action: null,
    });
    expectError(again, 409, 'payment_unexpected_state');
    expect(timeline.body.data.map((entry: any) => entry.type)).toEqual([
      'payment.created',
      'payment.requires_action',
      'payment.succeeded',
    ]);
    expect(
      await stack.count('ledger_transactions', `kind = 'payment' and reference = '${payment.id}'`),
    ).toBe(1);
  });

  it('when the challenge fails, then the payment needs a payment method again with authentication_failed, and can then be paid', async () => {
    const { payment } = await challengedPayment();

    const failed = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'fail',
    });
    const events = await stack.call('GET', '/v1/events?limit=1', { as: merchant.testKey });
    const moneyAfterFailure = await stack.count(
      'ledger_transactions',
      `reference = '${payment.id}'`,
    );
    const retried = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expect(failed.status, failed.text).toBe(200);
    expect(failed.body).toMatchObject({
      status: 'requires_payment_method',
      next_action: null,
      last_payment_error: { type: 'card_error', code: 'authentication_failed' },
    });
    expect(events.body.data[0]).toMatchObject({ type: 'payment.failed' });
    expect(moneyAfterFailure).toBe(0);
    expect(retried.body.status).toBe('succeeded');
  });

  it('when the client secret is wrong, then 404 and nothing is written', async () => {
    const { payment } = await challengedPayment();
    const before = await writes(payment.id);

    const response = await authenticate(payment.id, {
      client_secret: `${payment.id}_secret_${'x'.repeat(32)}`,
      outcome: 'complete',
    });

    expectError(response, 404, 'resource_missing');
    expect(await writes(payment.id)).toEqual(before);
  });

  it('when another merchant’s key sends the right secret, then 404 and nothing is written', async () => {
    const other = await stack.registerMerchant('Other Shop');
    const { payment } = await challengedPayment();
    const before = await writes(payment.id);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/authenticate`, {
      as: other.publishableTestKey,
      body: { client_secret: payment.client_secret, outcome: 'complete' },
    });

    expectError(response, 404, 'resource_missing');
    expect(await writes(payment.id)).toEqual(before);
  });

  it('when the payment is not waiting for a challenge, then 409 and nothing is written', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const before = await writes(payment.id);

    const response = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'complete',
    });

    expectError(response, 409, 'payment_unexpected_state');
    expect(await writes(payment.id)).toEqual(before);
  });

  it.each([
    [{ outcome: 'maybe' }, 'outcome'],
    [{ outcome: undefined }, 'outcome'],
    [{ client_secret: undefined }, 'client_secret'],
  ])('when the body is %j, then 400 on %s and nothing is written', async (override, param) => {
    const { payment } = await challengedPayment();
    const before = await writes(payment.id);

    const response = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'complete',
      ...override,
    });

    expect(response.status, response.text).toBe(400);
    expect(response.body.error.param).toBe(param);
    expect(await writes(payment.id)).toEqual(before);
  });

  it('when a manual-capture payment passes the challenge, then it waits in requires_capture', async () => {
    const { payment } = await challengedPayment({ capture_method: 'manual', amount: 5_000 });

    const response = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'complete',
    });

    expect(response.body).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 5_000,
      amount_received: 0,
    });
  });

  it('when nobody answers the challenge before expires_at, then the payment expires by the project clock and cannot be authenticated', async () => {
    const shop = await stack.registerMerchant('Abandoned Challenge Shop');
    const payment = await createPayment(stack, shop.testKey);
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, threeDSecureCard),
    });

    const moved = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: shop.testKey,
      body: { seconds: payment.expires_at - payment.created },
    });
    const read = await stack.call('GET', `/v1/payments/${payment.id}`, { as: shop.testKey });
    const late = await authenticate(payment.id, {
      client_secret: payment.client_secret,
      outcome: 'complete',
    });

    expect(moved.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'expired', next_action: null });
    expectError(late, 409, 'payment_unexpected_state');
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(0);
  });
});
