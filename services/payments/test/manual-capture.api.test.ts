import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPayment,
  expectError,
  reconciliation,
  sandboxCards,
  stackPerFile,
  topUp,
  type TestMerchant,
  type TestUser,
} from './support.js';

const stack = stackPerFile('manual_capture', { SCHEDULER_INTERVAL_MS: '0' });
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Hotel Shop');
});

async function wallet(user: TestUser): Promise<{ balance: number; held: number }> {
  const response = await stack.call('GET', '/v1/wallet', { as: user.principal });
  expect(response.status, response.text).toBe(200);
  return { balance: response.body.balance, held: response.body.held };
}

/** A manual-capture payment authorized from a fresh payer's wallet (topped up by `topUpBy`). */
async function authorizedFromWallet(amount: number, topUpBy = amount) {
  const payer = await stack.registerUser('Hold Payer');
  await topUp(stack, payer, topUpBy);
  const payment = await createPayment(stack, merchant.testKey, {
    amount,
    capture_method: 'manual',
  });
  const confirmed = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
    as: payer.principal,
    body: { client_secret: payment.client_secret, method: 'wallet' },
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return { payer, payment, confirmed: confirmed.body };
}

const heldOnLedger = (paymentId: string) =>
  stack.count('accounts', `type = 'hold' and owner_id = '${paymentId}' and balance > 0`);

const ledgerKinds = async (paymentId: string) =>
  Object.fromEntries(
    await Promise.all(
      ['authorization', 'payment', 'release'].map(
        async (kind) =>
          [
            kind,
            await stack.count(
              'ledger_transactions',
              `kind = '${kind}' and reference = '${paymentId}'`,
            ),
          ] as const,
      ),
    ),
  );

/** Every reconciliation check, the hold checks included, is clean. */
async function expectLedgerClean() {
  const report = await reconciliation(stack);
  const failing = report.checks.filter((check: any) => !check.ok);
  expect(failing, JSON.stringify(failing)).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.checks.map((check: any) => check.name)).toContain('holds_match_authorizations');
}

describe('manual capture', () => {
  it('when a manual-capture payment is confirmed, then it waits in requires_capture with the money held, not paid to the merchant', async () => {
    const { payer, payment, confirmed } = await authorizedFromWallet(40_000, 50_000);
    const events = await stack.call('GET', '/v1/events?type=payment.*&limit=1', {
      as: merchant.testKey,
    });

    expect(payment.capture_method).toBe('manual');
    expect(confirmed).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 40_000,
      amount_received: 0,
    });
    expect(await wallet(payer)).toEqual({ balance: 10_000, held: 40_000 });
    expect(events.body.data[0]).toMatchObject({
      type: 'payment.amount_capturable_updated',
      data: { object: { id: payment.id, amount_capturable: 40_000 } },
    });
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 0, release: 0 });
    expect(await heldOnLedger(payment.id)).toBe(1);
    await expectLedgerClean();
  });

  it('when part is captured, then the payment succeeds with amount_received and the rest goes back to the payer', async () => {
    const { payer, payment } = await authorizedFromWallet(40_000);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.testKey,
      body: { amount_to_capture: 25_000 },
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      status: 'succeeded',
      amount_received: 25_000,
      amount_capturable: 0,
    });
    expect(await wallet(payer)).toEqual({ balance: 15_000, held: 0 });
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 1, release: 1 });
    expect(await heldOnLedger(payment.id)).toBe(0);
    await expectLedgerClean();
  });

  it('when captured without an amount, then all of it is captured and nothing is released', async () => {
    const { payer, payment } = await authorizedFromWallet(8_000);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.testKey,
    });

    expect(response.body).toMatchObject({ status: 'succeeded', amount_received: 8_000 });
    expect(await wallet(payer)).toEqual({ balance: 0, held: 0 });
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 1, release: 0 });
  });

  it('when a card payment is captured in part, then a refund of more than was captured is refused', async () => {
    const payment = await createPayment(stack, merchant.testKey, {
      amount: 10_000,
      capture_method: 'manual',
    });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.testKey,
      body: { amount_to_capture: 6_000 },
    });

    const tooMuch = await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      body: { payment: payment.id, amount: 6_001 },
    });

    expect(tooMuch.status, tooMuch.text).toBe(400);
    expect(tooMuch.body.error.param).toBe('amount');
  });

  it('when more than authorized is captured, then 400 amount_to_capture_invalid and nothing is written', async () => {
    const { payer, payment } = await authorizedFromWallet(5_000);
    const eventsBefore = await stack.count('events', `payment_id = '${payment.id}'`);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.testKey,
      body: { amount_to_capture: 5_001 },
    });

    expectError(response, 400, 'amount_to_capture_invalid', 'amount_to_capture');
    expect(await stack.count('events', `payment_id = '${payment.id}'`)).toBe(eventsBefore);
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 0, release: 0 });
    expect(await wallet(payer)).toEqual({ balance: 0, held: 5_000 });
  });

  it.each([
    [{ amount_to_capture: 0 }, 'amount_to_capture'],
    [{ amount_to_capture: 1.5 }, 'amount_to_capture'],
    [{ amount_to_capture: '100' }, 'amount_to_capture'],
    [{ amount: 100 }, 'amount'],
  ])('when the body is %j, then 400 on %s', async (body, param) => {
    const { payment } = await authorizedFromWallet(1_000);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.testKey,
      body,
    });

    expect(response.status, response.text).toBe(400);
    expect(response.body.error.param).toBe(param);
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 0, release: 0 });
  });

  it('when the payment is automatic, or another merchant or mode captures, then 409 / 404', async () => {
    const automatic = await createPayment(stack, merchant.testKey);
    await stack.call('POST', `/v1/payments/${automatic.id}/confirm`, {
      body: cardBody(automatic.client_secret, sandboxCards.succeeds),
    });
    const { payment } = await authorizedFromWallet(1_000);
    const other = await stack.registerMerchant('Other Hotel');

    const onAutomatic = await stack.call('POST', `/v1/payments/${automatic.id}/capture`, {
      as: merchant.testKey,
    });
    const byOther = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: other.testKey,
    });
    const byLive = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.liveKey,
    });
    const byPublishable = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.publishableTestKey,
    });

    expectError(onAutomatic, 409, 'payment_unexpected_state');
    expectError(byOther, 404, 'resource_missing');
    expectError(byLive, 404, 'resource_missing');
    expect(byPublishable.status).toBe(403);
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 0, release: 0 });
  });

  it('when an authorization is canceled, then everything held goes back to the payer', async () => {
    const { payer, payment } = await authorizedFromWallet(7_000);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/cancel`, {
      as: merchant.testKey,
    });
    const capture = await stack.call('POST', `/v1/payments/${payment.id}/capture`, {
      as: merchant.testKey,
    });
    const events = await stack.call('GET', '/v1/events?type=payment.*&limit=1', {
      as: merchant.testKey,
    });

    expect(response.body).toMatchObject({ status: 'canceled', amount_capturable: 0 });
    expectError(capture, 409, 'payment_unexpected_state');
    expect(events.body.data[0]).toMatchObject({ type: 'payment.canceled' });
    expect(await wallet(payer)).toEqual({ balance: 7_000, held: 0 });
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 0, release: 1 });
    await expectLedgerClean();
  });

  it('when 7 days of the project clock pass without a capture, then the authorization is canceled and released, and not a minute earlier', async () => {
    const shop = await stack.registerMerchant('Slow Hotel');
    const payer = await stack.registerUser('Patient Payer');
    await topUp(stack, payer, 3_000);
    const payment = await createPayment(stack, shop.testKey, {
      amount: 3_000,
      capture_method: 'manual',
    });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });
    const advance = (seconds: number) =>
      stack.call('POST', '/v1/test_helpers/clock/advance', {
        as: shop.testKey,
        body: { seconds },
      });
    const read = () => stack.call('GET', `/v1/payments/${payment.id}`, { as: shop.testKey });

    await advance(7 * 86_400 - 60);
    const before = await read();
    await advance(60);
    const after = await read();

    expect(before.body.status).toBe('requires_capture');
    expect(after.body.status).toBe('canceled');
    expect(await wallet(payer)).toEqual({ balance: 3_000, held: 0 });
    expect(await ledgerKinds(payment.id)).toEqual({ authorization: 1, payment: 0, release: 1 });
    await expectLedgerClean();
  });

  it('when 50 captures and partial captures of one authorization race, then exactly one wins, the hold never gives out more than was authorized and the books balance', async () => {
    const { payer, payment } = await authorizedFromWallet(50_000);

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        stack.call('POST', `/v1/payments/${payment.id}/capture`, {
          as: merchant.testKey,
          body: index % 5 === 0 ? {} : { amount_to_capture: 1_000 * index },
        }),
      ),
    );

    const winners = responses.filter((response) => response.status === 200);
    const losers = responses.filter((response) => response.status !== 200);
    expect(winners).toHaveLength(1);
    expect(
      losers.every((response) => response.body.error.code === 'payment_unexpected_state'),
    ).toBe(true);
    const captured = winners[0]!.body.amount_received as number;
    expect(await wallet(payer)).toEqual({ balance: 50_000 - captured, held: 0 });
    expect(await ledgerKinds(payment.id)).toEqual({
      authorization: 1,
      payment: 1,
      release: captured < 50_000 ? 1 : 0,
    });
    expect(await heldOnLedger(payment.id)).toBe(0);
    await expectLedgerClean();
  });

  it('when 25 captures and 25 cancels of one authorization race, then exactly one wins and the money is either captured or back with the payer, never both', async () => {
    const { payer, payment } = await authorizedFromWallet(30_000);

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        stack.call('POST', `/v1/payments/${payment.id}/${index % 2 === 0 ? 'capture' : 'cancel'}`, {
          as: merchant.testKey,
          body: index % 2 === 0 ? { amount_to_capture: 20_000 } : undefined,
        }),
      ),
    );

    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    const won = winners[0]!.body;
    const kinds = await ledgerKinds(payment.id);
    if (won.status === 'succeeded') {
      expect(await wallet(payer)).toEqual({ balance: 10_000, held: 0 });
      expect(kinds).toEqual({ authorization: 1, payment: 1, release: 1 });
    } else {
      expect(won.status).toBe('canceled');
      expect(await wallet(payer)).toEqual({ balance: 30_000, held: 0 });
      expect(kinds).toEqual({ authorization: 1, payment: 0, release: 1 });
    }
    await expectLedgerClean();
  });
});
