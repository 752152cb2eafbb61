import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPayment,
  expectError,
  sandboxCards,
  stackPerFile,
  uniqueKey,
  type KeyPrincipal,
  type TestMerchant,
} from './support.js';

// The background scheduler is off: nothing here happens unless the test clock makes it happen,
// so a negative assertion ("not yet expired") cannot pass because a timer was merely slow.
const stack = stackPerFile('test_clock', {
  SCHEDULER_INTERVAL_MS: '0',
  PAYMENT_EXPIRY_SECONDS: '86400',
  UPI_PENDING_DELAY_MS: '5000',
});
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Clock Shop');
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function readClock(key: KeyPrincipal) {
  const response = await stack.call('GET', '/v1/test_helpers/clock', { as: key });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function advance(key: KeyPrincipal, seconds: number) {
  const response = await stack.call('POST', '/v1/test_helpers/clock/advance', {
    as: key,
    body: { seconds },
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

async function statusOf(key: KeyPrincipal, id: string): Promise<string> {
  const response = await stack.call('GET', `/v1/payments/${id}`, { as: key });
  expect(response.status, response.text).toBe(200);
  return response.body.status as string;
}

describe('the test clock', () => {
  it('when nothing moved it, then it reads real time with no offset', async () => {
    const shop = await stack.registerMerchant('Fresh Clock');

    const clock = await readClock(shop.testKey);

    expect(clock).toMatchObject({ object: 'test_clock', livemode: false, offset_seconds: 0 });
    expect(Math.abs(clock.now - nowSeconds())).toBeLessThanOrEqual(2);
  });

  it('when advanced, then it moves ahead by that much, and only for that merchant', async () => {
    const shop = await stack.registerMerchant('Advancing Shop');
    const other = await stack.registerMerchant('Bystander Shop');

    const first = await advance(shop.testKey, 3_600);
    const second = await advance(shop.testKey, 60);
    const theirs = await readClock(other.testKey);

    expect(first.offset_seconds).toBe(3_600);
    expect(second.offset_seconds).toBe(3_660);
    expect(Math.abs(second.now - (nowSeconds() + 3_660))).toBeLessThanOrEqual(2);
    expect(theirs.offset_seconds).toBe(0);
  });

  it.each([
    [0, 'clock_advance_invalid'],
    [-60, 'clock_advance_invalid'],
    [366 * 24 * 3600, 'clock_advance_invalid'],
    [1.5, 'parameter_invalid'],
    ['60', 'parameter_invalid'],
  ])(
    'when seconds is %s, then 400 %s on seconds and the clock does not move',
    async (seconds, code) => {
      const shop = await stack.registerMerchant('Refused Clock');

      const response = await stack.call('POST', '/v1/test_helpers/clock/advance', {
        as: shop.testKey,
        body: { seconds },
      });

      expectError(response, 400, code, 'seconds');
      expect((await readClock(shop.testKey)).offset_seconds).toBe(0);
      expect(await stack.count('test_clocks', `merchant_id = '${shop.id}'`)).toBe(0);
    },
  );

  it('when a live key calls the test helpers, then 404 and nothing moves', async () => {
    const read = await stack.call('GET', '/v1/test_helpers/clock', { as: merchant.liveKey });
    const move = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: merchant.liveKey,
      body: { seconds: 60 },
    });

    expectError(read, 404, 'route_not_found');
    expectError(move, 404, 'route_not_found');
    expect(await stack.count('test_clocks', `merchant_id = '${merchant.id}'`)).toBe(0);
  });

  it('when the same Idempotency-Key is sent twice, then the clock moves once', async () => {
    const shop = await stack.registerMerchant('Retrying Clock');
    const key = uniqueKey();
    const send = () =>
      stack.call('POST', '/v1/test_helpers/clock/advance', {
        as: shop.testKey,
        idempotencyKey: key,
        body: { seconds: 600 },
      });

    const first = await send();
    const replay = await send();

    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.text).toBe(first.text);
    expect((await readClock(shop.testKey)).offset_seconds).toBe(600);
  });
});

describe('what the clock drives', () => {
  it('when the clock passes expires_at, then the unpaid payment expires, at the project time, and not a second earlier', async () => {
    const shop = await stack.registerMerchant('Expiring Shop');
    const payment = await createPayment(stack, shop.testKey);

    await advance(shop.testKey, 86_400 - 30);
    const before = await statusOf(shop.testKey, payment.id);
    const moved = await advance(shop.testKey, 30);
    const after = await statusOf(shop.testKey, payment.id);
    const events = await stack.call('GET', '/v1/events?limit=5', { as: shop.testKey });

    expect(before).toBe('requires_payment_method');
    expect(after).toBe('expired');
    const expired = events.body.data.find((event: any) => event.type === 'payment.expired');
    expect(expired.data.object.id).toBe(payment.id);
    expect(Math.abs(expired.created - moved.now)).toBeLessThanOrEqual(2);
  });

  it("when one merchant's clock passes the expiry, then another merchant's payment is untouched", async () => {
    const mover = await stack.registerMerchant('Mover Shop');
    const other = await stack.registerMerchant('Still Shop');
    const theirs = await createPayment(stack, other.testKey);

    await advance(mover.testKey, 2 * 86_400);

    expect(await statusOf(other.testKey, theirs.id)).toBe('requires_payment_method');
  });

  it('when the clock passes the pending delay, then a pending@expe payment succeeds and the money moves once', async () => {
    const shop = await stack.registerMerchant('Pending Clock Shop');
    const payment = await createPayment(stack, shop.testKey, { amount: 7_700 });
    const confirmed = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'pending@expe' } },
    });

    await advance(shop.testKey, 4);
    const early = await statusOf(shop.testKey, payment.id);
    await advance(shop.testKey, 1);
    const due = await statusOf(shop.testKey, payment.id);
    await advance(shop.testKey, 60);
    const balance = await stack.call('GET', '/v1/balance', { as: shop.testKey });

    expect(confirmed.body.status).toBe('processing');
    expect(early).toBe('processing');
    expect(due).toBe('succeeded');
    // Pending for 2 days, net of the sandbox fee (2% + ₹3).
    expect(balance.body.pending).toEqual([{ amount: 7_700 - (154 + 300), currency: 'inr' }]);
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(1);
  });

  it('when the clock was advanced, then new payments are stamped and expire by the project time', async () => {
    const shop = await stack.registerMerchant('Future Shop');
    const moved = await advance(shop.testKey, 10 * 86_400);

    const payment = await createPayment(stack, shop.testKey);

    expect(Math.abs(payment.created - moved.now)).toBeLessThanOrEqual(2);
    expect(payment.expires_at - payment.created).toBe(86_400);
    // Real time is 10 days behind the project: the payment can still be paid.
    const paid = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    expect(paid.body.status).toBe('succeeded');
  });

  it('when the clock passes a card’s expiry, then that card is refused on card[exp_year] and nothing is written', async () => {
    const shop = await stack.registerMerchant('Expired Card Shop');
    await advance(shop.testKey, 365 * 86_400);
    await advance(shop.testKey, 365 * 86_400);
    const payment = await createPayment(stack, shop.testKey);
    const events = await stack.count('events', `payment_id = '${payment.id}'`);
    const year = new Date().getUTCFullYear() + 1;

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds, {
        card: { number: sandboxCards.succeeds, exp_month: 12, exp_year: year, cvc: '123' },
      }),
    });

    expectError(response, 400, 'parameter_invalid', 'card[exp_year]');
    expect(await stack.count('events', `payment_id = '${payment.id}'`)).toBe(events);
    expect(await statusOf(shop.testKey, payment.id)).toBe('requires_payment_method');
  });
});
