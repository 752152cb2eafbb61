import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardBody,
  createPayment,
  expectError,
  payWithCard,
  reconciliation,
  stackPerFile,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('saved_cards');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Chai Point', 'Dosa Express');
});

type Key = TestMerchant['testKey'];

const createCustomer = async (key: Key, name = 'Asha Verma') => {
  const response = await stack.call('POST', '/v1/customers', { as: key, body: { name } });
  expect(response.status, response.text).toBe(201);
  return response.body as { id: string };
};

/** A checkout paid with `number` that asks to keep the card for off-session charges. */
const payAndSave = async (key: Key, customer: string, number = '4242424242424242') => {
  const paid = await payWithCard(stack, key, number, {
    customer,
    setup_future_usage: 'off_session',
  });
  expect(paid).toMatchObject({ customer, setup_future_usage: 'off_session' });
  return paid;
};

const savedCards = async (key: Key, customer: string) => {
  const response = await stack.call('GET', `/v1/customers/${customer}/payment_methods`, {
    as: key,
  });
  expect(response.status, response.text).toBe(200);
  return response.body.data as any[];
};

const chargeOffSession = (key: Key, body: Record<string, unknown>) =>
  stack.call('POST', '/v1/payments', {
    as: key,
    body: { amount: 12_500, currency: 'inr', confirm: true, off_session: true, ...body },
  });

describe('saved cards', () => {
  it('when a payment with setup_future_usage succeeds, then the card is saved on the customer without its number', async () => {
    const customer = await createCustomer(merchant.testKey);

    const paid = await payAndSave(merchant.testKey, customer.id);

    expect(paid.status).toBe('succeeded');
    expect(paid.payment_method_details).toEqual({
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: expect.any(Number) },
    });
    const cards = await savedCards(merchant.testKey, customer.id);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      object: 'payment_method',
      type: 'card',
      card: { brand: 'visa', last4: '4242', exp_month: 12 },
      customer: customer.id,
      livemode: false,
    });
    expect(cards[0].id).toMatch(/^pm_[0-9a-z]{26}$/);
    // Card numbers are stored nowhere: not on the saved card, the payment or any event.
    for (const table of ['payment_methods', 'payments', 'events']) {
      expect(
        await stack.count(table, `row_to_json(${table})::text like '%4242424242424242%'`),
      ).toBe(0);
    }
    const events = await stack.call('GET', '/v1/events?type=payment_method.attached&limit=100', {
      as: merchant.testKey,
    });
    expect(events.body.data.map((event: any) => event.data.object.id)).toContain(cards[0].id);
  });

  it('when a payment without setup_future_usage succeeds, or one with it is declined, then no card is saved', async () => {
    const customer = await createCustomer(merchant.testKey);
    const plain = await createPayment(stack, merchant.testKey, { customer: customer.id });
    await stack.call('POST', `/v1/payments/${plain.id}/confirm`, {
      body: cardBody(plain.client_secret, '4242424242424242'),
    });
    const saving = await createPayment(stack, merchant.testKey, {
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    const declined = await stack.call('POST', `/v1/payments/${saving.id}/confirm`, {
      body: cardBody(saving.client_secret, '4000000000000002'),
    });
    expect(declined.status).toBe(402);

    expect(await savedCards(merchant.testKey, customer.id)).toEqual([]);
  });

  it('when a saved card is charged off-session, then the payment succeeds at once and names the customer and card', async () => {
    const customer = await createCustomer(merchant.testKey);
    await payAndSave(merchant.testKey, customer.id);
    const [card] = await savedCards(merchant.testKey, customer.id);

    const response = await chargeOffSession(merchant.testKey, {
      customer: customer.id,
      payment_method: card.id,
    });

    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({
      status: 'succeeded',
      amount: 12_500,
      method: 'card',
      customer: customer.id,
      payment_method: card.id,
      payment_method_details: { card: { last4: '4242' } },
    });
    const report = await reconciliation(stack);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });

  it('when card 4000000000000341 is saved, then it attaches but the off-session charge is declined with 402 card_declined', async () => {
    const customer = await createCustomer(merchant.testKey);
    const first = await payAndSave(merchant.testKey, customer.id, '4000000000000341');
    expect(first.status).toBe('succeeded');
    const [card] = await savedCards(merchant.testKey, customer.id);
    expect(card.card.last4).toBe('0341');

    const response = await chargeOffSession(merchant.testKey, {
      customer: customer.id,
      payment_method: card.id,
    });

    expectError(response, 402, 'card_declined');
    expect(response.body.error.type).toBe('card_error');
    expect(response.body.error.payment).toMatchObject({
      status: 'requires_payment_method',
      customer: customer.id,
      payment_method: card.id,
      last_payment_error: { code: 'card_declined' },
    });
    expect(
      await stack.count('ledger_transactions', `reference = '${response.body.error.payment.id}'`),
    ).toBe(0);
  });

  it('when a 3-D Secure card is saved after its challenge, then an off-session charge is declined: nobody is there to authenticate', async () => {
    const customer = await createCustomer(merchant.testKey);
    const payment = await createPayment(stack, merchant.testKey, {
      customer: customer.id,
      setup_future_usage: 'off_session',
    });
    const challenged = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, '4000002500003155'),
    });
    expect(challenged.body.status, challenged.text).toBe('requires_action');
    expect(await savedCards(merchant.testKey, customer.id)).toEqual([]);
    const authenticated = await stack.call('POST', `/v1/payments/${payment.id}/authenticate`, {
      body: { client_secret: payment.client_secret, outcome: 'complete' },
    });
    expect(authenticated.body.status, authenticated.text).toBe('succeeded');
    const [card] = await savedCards(merchant.testKey, customer.id);
    expect(card.card.last4).toBe('3155');

    const response = await chargeOffSession(merchant.testKey, {
      customer: customer.id,
      payment_method: card.id,
    });

    expectError(response, 402, 'card_declined');
    expect(response.body.error.decline_code).toBe('authentication_required');
  });

  it("when another customer's card is used, then 400 payment_method_customer_mismatch names payment_method and nothing is written", async () => {
    const owner = await createCustomer(merchant.testKey, 'Owner');
    const other = await createCustomer(merchant.testKey, 'Other');
    await payAndSave(merchant.testKey, owner.id);
    const [card] = await savedCards(merchant.testKey, owner.id);
    const payments = await stack.count('payments');
    const events = await stack.count('events');

    const response = await chargeOffSession(merchant.testKey, {
      customer: other.id,
      payment_method: card.id,
    });

    expectError(response, 400, 'payment_method_customer_mismatch', 'payment_method');
    expect(await stack.count('payments')).toBe(payments);
    expect(await stack.count('events')).toBe(events);
  });

  it("when another merchant's card or the other mode's is used, then it is unknown (404 on payment_method) and nothing is written", async () => {
    const customer = await createCustomer(merchant.testKey);
    await payAndSave(merchant.testKey, customer.id);
    const [card] = await savedCards(merchant.testKey, customer.id);
    const theirs = await createCustomer(otherMerchant.testKey);
    const payments = await stack.count('payments');

    expectError(
      await chargeOffSession(otherMerchant.testKey, {
        customer: theirs.id,
        payment_method: card.id,
      }),
      404,
      'resource_missing',
      'payment_method',
    );
    expectError(
      await chargeOffSession(merchant.liveKey, { customer: customer.id, payment_method: card.id }),
      404,
      'resource_missing',
      'customer',
    );
    expectError(
      await stack.call('GET', `/v1/payment_methods/${card.id}`, { as: otherMerchant.testKey }),
      404,
      'resource_missing',
    );
    expect(await stack.count('payments')).toBe(payments);
  });

  it('when the fields do not fit together, then 400 names the field', async () => {
    const customer = await createCustomer(merchant.testKey);
    await payAndSave(merchant.testKey, customer.id);
    const [card] = await savedCards(merchant.testKey, customer.id);
    const payments = await stack.count('payments');
    const post = (body: object) =>
      stack.call('POST', '/v1/payments', {
        as: merchant.testKey,
        body: { amount: 1_000, currency: 'inr', ...body },
      });

    expectError(
      await post({ setup_future_usage: 'off_session' }),
      400,
      'parameter_missing',
      'customer',
    );
    expectError(
      await post({ payment_method: card.id, confirm: true }),
      400,
      'parameter_missing',
      'customer',
    );
    expectError(
      await post({ customer: customer.id, payment_method: card.id }),
      400,
      'parameter_missing',
      'confirm',
    );
    expectError(
      await post({ customer: customer.id, confirm: true }),
      400,
      'parameter_missing',
      'payment_method',
    );
    expectError(
      await post({ customer: customer.id, off_session: true }),
      400,
      'parameter_invalid',
      'off_session',
    );
    expectError(await post({ customer: 'cus_nope' }), 400, 'parameter_invalid', 'customer');
    expectError(
      await post({ customer: customer.id, setup_future_usage: 'always' }),
      400,
      'parameter_invalid',
      'setup_future_usage',
    );
    expect(await stack.count('payments')).toBe(payments);
  });

  it('when a card is detached, then it can no longer be charged; deleting the customer detaches the rest', async () => {
    const customer = await createCustomer(merchant.testKey);
    await payAndSave(merchant.testKey, customer.id);
    await payAndSave(merchant.testKey, customer.id);
    const [newest, oldest] = await savedCards(merchant.testKey, customer.id);

    const detached = await stack.call('POST', `/v1/payment_methods/${newest.id}/detach`, {
      as: merchant.testKey,
    });
    expect(detached.status, detached.text).toBe(200);
    expect(detached.body.customer).toBeNull();
    expectError(
      await stack.call('POST', `/v1/payment_methods/${newest.id}/detach`, { as: merchant.testKey }),
      409,
      'resource_conflict',
    );
    expectError(
      await chargeOffSession(merchant.testKey, {
        customer: customer.id,
        payment_method: newest.id,
      }),
      400,
      'payment_method_customer_mismatch',
      'payment_method',
    );

    const deleted = await stack.call('DELETE', `/v1/customers/${customer.id}`, {
      as: merchant.testKey,
    });
    expect(deleted.status, deleted.text).toBe(200);
    const old = await stack.call('GET', `/v1/payment_methods/${oldest.id}`, {
      as: merchant.testKey,
    });
    expect(old.body.customer).toBeNull();
    const events = await stack.call('GET', '/v1/events?type=payment_method.detached&limit=100', {
      as: merchant.testKey,
    });
    const ids = events.body.data.map((event: any) => event.data.object.id);
    expect(ids.filter((id: string) => id === newest.id)).toHaveLength(1);
    expect(ids).toContain(oldest.id);
  });

  it('when the same off-session charge is retried with its Idempotency-Key, then the card is charged once', async () => {
    const customer = await createCustomer(merchant.testKey);
    await payAndSave(merchant.testKey, customer.id);
    const [card] = await savedCards(merchant.testKey, customer.id);
    const body = {
      amount: 7_700,
      currency: 'inr',
      confirm: true,
      off_session: true,
      customer: customer.id,
      payment_method: card.id,
    };
    const key = `retry-${card.id}`;

    const [a, b] = [
      await stack.call('POST', '/v1/payments', { as: merchant.testKey, body, idempotencyKey: key }),
      await stack.call('POST', '/v1/payments', { as: merchant.testKey, body, idempotencyKey: key }),
    ];

    expect(a.status).toBe(201);
    expect(b.text).toBe(a.text);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(await stack.count('payments', `payment_method_id = '${card.id}'`)).toBe(1);
  });
});

describe('off-session confirm', () => {
  const confirmOffSession = (payment: { id: string; client_secret: string }, number: string) =>
    stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: merchant.testKey,
      body: cardBody(payment.client_secret, number, { off_session: true }),
    });

  it('when a payment is confirmed off-session with a card that needs no authentication, then it succeeds', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await confirmOffSession(payment, '4242424242424242');

    expect(response.status, response.text).toBe(200);
    expect(response.body.status).toBe('succeeded');
  });

  it('when a payment is confirmed off-session with a 3-D Secure card, then it is declined with authentication_required instead of asking for the challenge', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    const response = await confirmOffSession(payment, '4000002500003155');

    expectError(response, 402, 'card_declined');
    expect(response.body.error.decline_code).toBe('authentication_required');
    const after = await stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.testKey });
    expect(after.body.status).not.toBe('requires_action');
    expect(after.body.last_payment_error).toMatchObject({
      decline_code: 'authentication_required',
    });
  });

  it('when off_session comes without a secret key, or with a method other than card, then it is refused naming off_session and the payment is not confirmed', async () => {
    const payment = await createPayment(stack, merchant.testKey);

    expectError(
      await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
        body: cardBody(payment.client_secret, '4242424242424242', { off_session: true }),
      }),
      403,
      'secret_key_required',
      'off_session',
    );
    expectError(
      await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
        as: merchant.testKey,
        body: {
          client_secret: payment.client_secret,
          method: 'upi',
          upi: { vpa: 'success@expe' },
          off_session: true,
        },
      }),
      400,
      'parameter_invalid',
      'off_session',
    );
    const after = await stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.testKey });
    expect(after.body.status).toBe('requires_payment_method');
  });
});
