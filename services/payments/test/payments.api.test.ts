import { beforeAll, describe, expect, it } from 'vitest';
import { decodePng, decodeSvg } from '@expe/testing';
import {
  anonymous,
  cardBody,
  createPaidPayment,
  createPayment,
  expectError,
  sandboxCards,
  stackPerFile,
  topUp,
  waitFor,
  walletBalance,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('payments');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Chai Point', 'Dosa Express');
});

/** What payments credited the merchant so far: pending for 2 days, net of the sandbox fee. */
const merchantBalance = async (key: TestMerchant['testKey'], currency = 'inr') => {
  const response = await stack.call('GET', '/v1/balance', { as: key });
  expect(response.status).toBe(200);
  const amountIn = (items: { amount: number; currency: string }[]) =>
    items.find((item) => item.currency === currency)?.amount ?? 0;
  return amountIn(response.body.pending) + amountIn(response.body.available);
};

describe('POST /v1/payments', () => {
  it('when a merchant creates a payment, then it is open with a client secret, checkout URL and UPI link', async () => {
    const response = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      body: {
        amount: 49_900,
        currency: 'INR',
        description: 'Masala chai & samosa',
        metadata: { order: '1042' },
        customer_email: 'Shopper@Example.com',
        return_url: 'https://shop.example/thanks',
      },
    });

    expect(response.status, response.text).toBe(201);
    const payment = response.body;
    expect(payment).toMatchObject({
      object: 'payment',
      amount: 49_900,
      amount_refunded: 0,
      currency: 'inr',
      status: 'requires_payment_method',
      method: null,
      livemode: false,
      description: 'Masala chai & samosa',
      metadata: { order: '1042' },
      customer_email: 'shopper@example.com',
      return_url: 'https://shop.example/thanks',
      last_payment_error: null,
      merchant: { id: merchant.id, name: 'Chai Point' },
    });
    expect(payment.id).toMatch(/^pay_[0-9a-z]{26}$/);
    expect(payment.client_secret).toMatch(new RegExp(`^${payment.id}_secret_[A-Za-z0-9_-]{32}$`));
    expect(payment.checkout_url).toBe(
      `https://checkout.expe.test/pay/${payment.id}#${payment.client_secret}`,
    );
    expect(payment.expires_at - payment.created).toBe(86_400);
    const upi = new URL(payment.upi_uri);
    expect(upi.protocol).toBe('upi:');
    expect(payment.upi_uri).not.toContain('+');
    expect(Object.fromEntries(upi.searchParams)).toEqual({
      pa: `${merchant.id}@expe`,
      pn: 'Chai Point',
      am: '499.00',
      cu: 'INR',
      tr: payment.id,
      tn: 'Masala chai & samosa',
    });
  });

  it('when the payment is not in INR, then it has no UPI link', async () => {
    const payment = await createPayment(stack, merchant.testKey, {
      currency: 'usd',
      amount: 1_000,
    });

    expect(payment.currency).toBe('usd');
    expect(payment.upi_uri).toBeNull();
  });

  it('when a payment is created, then a payment.created event without the client secret is logged', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const events = await stack.call('GET', '/v1/events?type=payment.created&limit=5', {
      as: merchant.testKey,
    });

    const event = events.body.data.find((item: any) => item.data.object.id === payment.id);
    expect(event).toMatchObject({ object: 'event', type: 'payment.created', livemode: false });
    expect(event.data.object).not.toHaveProperty('client_secret');
    expect(event.data.object).not.toHaveProperty('checkout_url');
  });

  const badInputs: [string, Record<string, unknown>, string, string][] = [
    ['amount 0', { amount: 0 }, 'amount', 'parameter_invalid'],
    ['amount -1', { amount: -1 }, 'amount', 'parameter_invalid'],
    ['amount 1.5', { amount: 1.5 }, 'amount', 'parameter_invalid'],
    ['amount "100"', { amount: '100' }, 'amount', 'parameter_invalid'],
    ['amount 1e20', { amount: 1e20 }, 'amount', 'parameter_invalid'],
    ['amount above MAX_AMOUNT', { amount: 100_000_001 }, 'amount', 'parameter_invalid'],
    ['no amount', { amount: undefined }, 'amount', 'parameter_missing'],
    ['no currency', { currency: undefined }, 'currency', 'parameter_missing'],
    ['unknown currency', { currency: 'xyz' }, 'currency', 'parameter_invalid'],
    [
      'a javascript: return_url',
      { return_url: 'javascript:alert(1)' },
      'return_url',
      'parameter_invalid',
    ],
    ['a data: return_url', { return_url: 'data:text/html,hi' }, 'return_url', 'parameter_invalid'],
    ['an unknown parameter', { capture: true }, 'capture', 'parameter_unknown'],
  ];

  it.each(badInputs)(
    'when the body has %s, then 400 names the field and nothing is written',
    async (_name, change, param, code) => {
      const before = {
        payments: await stack.count('payments'),
        events: await stack.count('events'),
      };

      const response = await stack.call('POST', '/v1/payments', {
        as: merchant.testKey,
        body: { amount: 1_000, currency: 'inr', ...change },
      });

      expectError(response, 400, code, param);
      expect(await stack.count('payments')).toBe(before.payments);
      expect(await stack.count('events')).toBe(before.events);
    },
  );

  it('when a publishable key creates a payment, then 403 secret_key_required', async () => {
    const response = await stack.call('POST', '/v1/payments', {
      as: merchant.publishableTestKey,
      body: { amount: 1_000, currency: 'inr' },
    });

    expectError(response, 403, 'secret_key_required');
  });

  it('when a signed-in user or nobody creates a payment, then 401', async () => {
    const user = await stack.registerUser();

    expectError(
      await stack.call('POST', '/v1/payments', {
        as: user.principal,
        body: { amount: 1, currency: 'inr' },
      }),
      401,
      'authentication_required',
    );
    expectError(
      await stack.call('POST', '/v1/payments', {
        as: anonymous,
        body: { amount: 1, currency: 'inr' },
      }),
      401,
      'authentication_required',
    );
  });

  it('when the request did not come through the gateway, then 401 gateway_credential_required', async () => {
    const response = await stack.call('POST', '/v1/payments', {
      as: null,
      body: { amount: 1_000, currency: 'inr' },
    });

    expectError(response, 401, 'gateway_credential_required');
  });
});

describe('GET /v1/payments and /v1/payments/:id', () => {
  it('when the merchant reads its payment, then it comes back as created', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('GET', `/v1/payments/${payment.id}`, {
      as: merchant.testKey,
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(payment);
  });

  it("when another merchant's key or the live key asks, then 404 as if it did not exist", async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const other = await stack.call('GET', `/v1/payments/${payment.id}`, {
      as: otherMerchant.testKey,
    });
    const live = await stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.liveKey });
    const malformed = await stack.call('GET', '/v1/payments/pay_nope', { as: merchant.testKey });

    expectError(other, 404, 'resource_missing');
    expectError(live, 404, 'resource_missing');
    expectError(malformed, 404, 'resource_missing');
  });

  it('when a live payment exists, then the test key never lists it and the live key does', async () => {
    const live = await createPayment(stack, merchant.liveKey);

    const testList = await stack.call('GET', '/v1/payments?limit=100', { as: merchant.testKey });
    const liveList = await stack.call('GET', '/v1/payments?limit=100', { as: merchant.liveKey });

    expect(live.livemode).toBe(true);
    expect(testList.body.data.map((p: any) => p.id)).not.toContain(live.id);
    expect(liveList.body.data.map((p: any) => p.id)).toContain(live.id);
    expect(liveList.body.data.every((p: any) => p.livemode)).toBe(true);
  });

  it('when the checkout page reads with the client secret, then it gets the payment; a wrong one gets 404', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const ok = await stack.call(
      'GET',
      `/v1/payments/${payment.id}?client_secret=${encodeURIComponent(payment.client_secret)}`,
    );
    const wrong = await stack.call(
      'GET',
      `/v1/payments/${payment.id}?client_secret=${payment.id}_secret_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
    );

    expect(ok.status).toBe(200);
    expect(ok.body.id).toBe(payment.id);
    expectError(wrong, 404, 'resource_missing');
  });

  it('when listing with a status filter and cursors, then every page keeps the filter', async () => {
    const shop = await stack.registerMerchant('Filter Shop');
    const open = [];
    for (let i = 0; i < 3; i++) open.push(await createPayment(stack, shop.testKey));
    await createPaidPayment(stack, shop.testKey);

    const first = await stack.call('GET', '/v1/payments?status=requires_payment_method&limit=2', {
      as: shop.testKey,
    });
    const second = await stack.call(
      'GET',
      `/v1/payments?status=requires_payment_method&limit=2&starting_after=${first.body.data[1].id}`,
      { as: shop.testKey },
    );
    const back = await stack.call(
      'GET',
      `/v1/payments?status=requires_payment_method&limit=2&ending_before=${second.body.data[0].id}`,
      { as: shop.testKey },
    );

    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    expect(first.body.data.map((p: any) => p.id)).toEqual([open[2].id, open[1].id]);
    expect(second.body.data.map((p: any) => p.id)).toEqual([open[0].id]);
    expect(second.body.has_more).toBe(false);
    expect(back.body.data.map((p: any) => p.id)).toEqual([open[2].id, open[1].id]);
  });

  it('when filtering by created, then only payments in the range come back', async () => {
    const shop = await stack.registerMerchant('Range Shop');
    const payment = await createPayment(stack, shop.testKey);

    const inRange = await stack.call(
      'GET',
      `/v1/payments?created[gte]=${payment.created}&created[lte]=${payment.created}`,
      { as: shop.testKey },
    );
    const future = await stack.call('GET', `/v1/payments?created[gt]=${payment.created + 60}`, {
      as: shop.testKey,
    });
    const bad = await stack.call('GET', '/v1/payments?created[gte]=yesterday', {
      as: shop.testKey,
    });

    expect(inRange.body.data.map((p: any) => p.id)).toEqual([payment.id]);
    expect(future.body.data).toEqual([]);
    expectError(bad, 400, 'parameter_invalid', 'created[gte]');
  });
});

describe('POST /v1/payments/:id/confirm with cards', () => {
  it('when the card is 4242…, then the payment succeeds and the merchant balance grows by the amount less the sandbox fee', async () => {
    const shop = await stack.registerMerchant('Card Shop');
    const payment = await createPayment(stack, shop.testKey, { amount: 12_345 });

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      status: 'succeeded',
      method: 'card',
      last_payment_error: null,
    });
    expect(await merchantBalance(shop.testKey)).toBe(12_345 - (247 + 300));
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(1);
  });

  const declines: [string, string, string, string | undefined][] = [
    ['4000000000000002', sandboxCards.declined, 'card_declined', 'generic_decline'],
    [
      '4000000000009995',
      sandboxCards.insufficientFunds,
      'insufficient_funds',
      'insufficient_funds',
    ],
    ['4000000000000119', sandboxCards.processingError, 'processing_error', undefined],
  ];

  it.each(declines)(
    'when the card is %s, then 402 card_error %s, the failure is recorded and no money moves',
    async (_name, number, code, declineCode) => {
      const payment = await createPayment(stack, merchant.testKey);

      const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
        body: cardBody(payment.client_secret, number),
      });

      expect(response.status, response.text).toBe(402);
      expect(response.body.error).toMatchObject({ type: 'card_error', code });
      expect(response.body.error.decline_code).toBe(declineCode);
      expect(response.body.error.payment).toMatchObject({
        id: payment.id,
        status: 'requires_payment_method',
        method: 'card',
        last_payment_error: { type: 'card_error', code },
      });
      expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(0);
      expect(
        await stack.count('events', `payment_id = '${payment.id}' and type = 'payment.failed'`),
      ).toBe(1);
    },
  );

  it('when a declined payment is retried with a good card, then it succeeds and the error is cleared', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.declined),
    });

    const retry = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'succeeded', last_payment_error: null });
  });

  it('when the card is not a sandbox test card, then 400 on card[number] and nothing is written', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const events = await stack.count('events');

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, '4111111111111111'),
    });

    expectError(response, 400, 'parameter_invalid', 'card[number]');
    expect(await stack.count('events')).toBe(events);
  });

  it('when the card has expired, then 400 on card[exp_year]', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds, {
        card: { number: sandboxCards.succeeds, exp_month: 1, exp_year: 2020, cvc: '123' },
      }),
    });

    expectError(response, 400, 'parameter_invalid', 'card[exp_year]');
  });

  it('when method card comes without a card, then 400 parameter_missing card', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'card' },
    });

    expectError(response, 400, 'parameter_missing', 'card');
  });

  it('when the payment already succeeded, then confirming again is 409 payment_unexpected_state', async () => {
    const payment = await createPaidPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expectError(response, 409, 'payment_unexpected_state');
  });

  it('when 50 confirms of one payment race, then exactly one succeeds and one ledger transaction exists', async () => {
    const shop = await stack.registerMerchant('Race Shop');
    const payment = await createPayment(stack, shop.testKey, { amount: 5_000 });

    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
          body: cardBody(payment.client_secret, sandboxCards.succeeds),
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    expect(await stack.count('ledger_transactions', `reference = '${payment.id}'`)).toBe(1);
    expect(await merchantBalance(shop.testKey)).toBe(5_000 - (100 + 300));
  });
});

describe('POST /v1/payments/:id/confirm with UPI', () => {
  it('when the VPA is success@expe, then the payment succeeds', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'Success@Expe' } },
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ status: 'succeeded', method: 'upi' });
  });

  it('when the VPA is failure@expe, then 402 upi_transaction_failed of type upi_error (not a card error)', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'failure@expe' } },
    });

    expect(response.status).toBe(402);
    expect(response.body.error).toMatchObject({
      type: 'upi_error',
      code: 'upi_transaction_failed',
    });
    expect(response.body.error.payment.status).toBe('requires_payment_method');
    expect(response.body.error.payment.last_payment_error).toMatchObject({ type: 'upi_error' });
  });

  it('when the VPA is pending@expe, then the payment is processing and succeeds after the delay', async () => {
    const shop = await stack.registerMerchant('Pending Shop');
    const payment = await createPayment(stack, shop.testKey, { amount: 7_700 });

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'pending@expe' } },
    });
    const settled = await waitFor(
      () => stack.call('GET', `/v1/payments/${payment.id}`, { as: shop.testKey }),
      (read) => read.body.status !== 'processing',
    );
    const timeline = await stack.call('GET', `/v1/payments/${payment.id}/timeline`, {
      as: shop.testKey,
    });

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('processing');
    expect(settled.body.status).toBe('succeeded');
    expect(await merchantBalance(shop.testKey)).toBe(7_700 - (154 + 300));
    expect(timeline.body.data.map((entry: any) => [entry.type, entry.status])).toEqual([
      ['payment.created', 'requires_payment_method'],
      ['payment.processing', 'processing'],
      ['payment.succeeded', 'succeeded'],
    ]);
  });

  it('when the VPA is not a sandbox address, then 400 on upi[vpa]', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa: 'asha@okbank' } },
    });

    expectError(response, 400, 'parameter_invalid', 'upi[vpa]');
  });
});

describe('POST /v1/payments/:id/confirm from a wallet', () => {
  it("when the payer has money, then their wallet pays and the merchant's balance grows", async () => {
    const shop = await stack.registerMerchant('Wallet Shop');
    const payer = await stack.registerUser('Meera Nair');
    await topUp(stack, payer, 100_000);
    const payment = await createPayment(stack, shop.testKey, { amount: 30_000 });

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ status: 'succeeded', method: 'wallet' });
    expect(await walletBalance(stack, payer)).toBe(70_000);
    expect(await merchantBalance(shop.testKey)).toBe(30_000 - (600 + 300));
  });

  it('when the payer is short, then 402 insufficient_funds and nobody loses money', async () => {
    const payer = await stack.registerUser('Short Payer');
    const rich = await stack.registerUser('Rich Friend');
    await topUp(stack, payer, 1_000);
    await topUp(stack, rich, 1_000_000);
    const payment = await createPayment(stack, merchant.testKey, { amount: 5_000 });

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });

    expect(response.status).toBe(402);
    expect(response.body.error).toMatchObject({ type: 'card_error', code: 'insufficient_funds' });
    expect(await walletBalance(stack, payer)).toBe(1_000);
    expect(await walletBalance(stack, rich)).toBe(1_000_000);
  });

  it('when nobody is signed in, then a wallet payment is 401', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });

    expectError(response, 401, 'authentication_required');
  });

  it('when the payment is not in INR, then the wallet cannot pay it (400 on method)', async () => {
    const payer = await stack.registerUser();
    await topUp(stack, payer, 10_000);
    const payment = await createPayment(stack, merchant.testKey, { currency: 'usd', amount: 100 });

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });

    expectError(response, 400, 'parameter_invalid', 'method');
    expect(await walletBalance(stack, payer)).toBe(10_000);
  });
});

describe('confirm isolation', () => {
  it('when the client secret is wrong or belongs to another payment, then 404', async () => {
    const payment = await createPayment(stack, otherMerchant.testKey);
    const mine = await createPayment(stack, merchant.testKey);

    const wrong = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: merchant.testKey,
      body: cardBody(mine.client_secret, sandboxCards.succeeds),
    });

    expectError(wrong, 404, 'resource_missing');
  });

  it("when another merchant's key confirms with the right secret, then 404; the merchant's own publishable key may", async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const foreign = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: otherMerchant.publishableTestKey,
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    const own = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: merchant.publishableTestKey,
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expectError(foreign, 404, 'resource_missing');
    expect(own.status).toBe(200);
  });
});

describe('POST /v1/payments/:id/cancel', () => {
  it('when the payment is open, then it is canceled once and cannot be paid any more', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const cancel = await stack.call('POST', `/v1/payments/${payment.id}/cancel`, {
      as: merchant.testKey,
    });
    const again = await stack.call('POST', `/v1/payments/${payment.id}/cancel`, {
      as: merchant.testKey,
    });
    const pay = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('canceled');
    expectError(again, 409, 'payment_unexpected_state');
    expectError(pay, 409, 'payment_unexpected_state');
    expect(
      await stack.count('events', `payment_id = '${payment.id}' and type = 'payment.canceled'`),
    ).toBe(1);
  });

  it('when another merchant cancels, then 404 and the payment stays open', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/cancel`, {
      as: otherMerchant.testKey,
    });
    const read = await stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.testKey });

    expectError(response, 404, 'resource_missing');
    expect(read.body.status).toBe('requires_payment_method');
  });
});

describe('GET /v1/payments/:id/qr', () => {
  it('when the merchant asks for the PNG, then it decodes to the upi_uri', async () => {
    const payment = await createPayment(stack, merchant.testKey, { description: 'QR chai' });

    const response = await stack.call('GET', `/v1/payments/${payment.id}/qr`, {
      as: merchant.testKey,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(decodePng(response.bytes)).toBe(payment.upi_uri);
  });

  it('when the checkout page asks for the SVG with the client secret, then it decodes to the upi_uri', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await stack.call(
      'GET',
      `/v1/payments/${payment.id}/qr?format=svg&client_secret=${encodeURIComponent(payment.client_secret)}`,
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    expect(decodeSvg(response.text)).toBe(payment.upi_uri);
  });

  it('when nobody authenticates, or the payment is not in INR, then no QR code', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const usd = await createPayment(stack, merchant.testKey, { currency: 'usd', amount: 100 });

    const anonymousRead = await stack.call('GET', `/v1/payments/${payment.id}/qr`);
    const foreign = await stack.call('GET', `/v1/payments/${payment.id}/qr`, {
      as: otherMerchant.testKey,
    });
    const noUpi = await stack.call('GET', `/v1/payments/${usd.id}/qr`, { as: merchant.testKey });

    expectError(anonymousRead, 401, 'authentication_required');
    expectError(foreign, 404, 'resource_missing');
    expectError(noUpi, 400, 'parameter_invalid');
  });
});

describe('GET /v1/payments/:id/timeline', () => {
  it('when a payment failed, was retried and refunded, then the timeline shows each step in order', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.declined),
    });
    await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });
    await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      body: { payment: payment.id, amount: 100 },
    });

    const response = await stack.call(
      'GET',
      `/v1/payments/${payment.id}/timeline?client_secret=${encodeURIComponent(payment.client_secret)}`,
    );

    expect(response.status).toBe(200);
    expect(response.body.data.map((entry: any) => [entry.type, entry.status])).toEqual([
      ['payment.created', 'requires_payment_method'],
      ['payment.failed', 'requires_payment_method'],
      ['payment.succeeded', 'succeeded'],
      ['refund.succeeded', null],
    ]);
    expect(response.body.data[0]).toMatchObject({
      object: 'timeline_entry',
      event: expect.stringMatching(/^evt_/),
      created: payment.created,
    });
  });
});

describe('GET /metrics', () => {
  it('when payments were created, paid and declined, then the business counters are exported', async () => {
    await createPaidPayment(stack, merchant.testKey);
    const declined = await createPayment(stack, merchant.testKey);
    await stack.call('POST', `/v1/payments/${declined.id}/confirm`, {
      body: cardBody(declined.client_secret, sandboxCards.declined),
    });

    const response = await fetch(new URL('/metrics', stack.payments.url));
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(text).toContain('payments_created');
    expect(text).toContain('payments_succeeded');
    expect(text).toContain('payments_failed');
  });
});
