import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPayment,
  expectError,
  stackPerFile,
  type ProjectKeys,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('payment_methods');
let merchant: TestMerchant;
let otherProject: ProjectKeys;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Chai Point');
  otherProject = await stack.addProject(merchant, 'Second shop');
});

type Key = TestMerchant['testKey'];

const createCustomer = async (key: Key = merchant.testKey) => {
  const response = await stack.call('POST', '/v1/customers', {
    as: key,
    body: { name: 'Asha Verma' },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
};

const createMethod = async (
  card: Record<string, unknown>,
  extra: object = {},
  key = merchant.testKey,
) => {
  const response = await stack.call('POST', '/v1/payment_methods', {
    as: key,
    body: { type: 'card', card, ...extra },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
};

const attach = (id: string, customer: string, key = merchant.testKey) =>
  stack.call('POST', `/v1/payment_methods/${id}/attach`, { as: key, body: { customer } });

const eventsOf = async (type: string, objectId: string) => {
  const response = await stack.call('GET', `/v1/events?type=${type}&limit=100`, {
    as: merchant.testKey,
  });
  expect(response.status, response.text).toBe(200);
  return (response.body.data as any[]).filter((event) => event.data.object.id === objectId);
};

const setupIntent = (body: Record<string, unknown>, key = merchant.testKey) =>
  stack.call('POST', '/v1/setup_intents', { as: key, body });

describe('payment methods', () => {
  it('when a PaymentMethod is created from a test token, then it is a card attached to nobody, without a number', async () => {
    const method = await createMethod(
      { token: 'tok_mastercard' },
      { billing_details: { name: 'Asha Verma', email: 'ASHA@example.com' }, metadata: { a: '1' } },
    );

    expect(method).toMatchObject({
      object: 'payment_method',
      type: 'card',
      customer: null,
      livemode: false,
      metadata: { a: '1' },
      billing_details: {
        name: 'Asha Verma',
        email: 'asha@example.com',
        phone: null,
        address: null,
      },
      card: { brand: 'mastercard', last4: '4444', exp_month: 12, funding: 'credit', country: 'US' },
    });
    expect(method.id).toMatch(/^pm_/);
    expect(method.card.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const fromTestMethod = await createMethod({ token: 'pm_card_visa' });
    expect(fromTestMethod.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(fromTestMethod.id).not.toBe('pm_card_visa');
  });

  it('when the same card is created twice (number or token), then both have one fingerprint; another project gets another', async () => {
    const card = { number: '4242 4242 4242 4242', exp_month: 4, exp_year: 2040, cvc: '123' };
    const first = await createMethod(card);
    const second = await createMethod(card);
    const elsewhere = await createMethod(card, {}, otherProject.testKey);

    expect(first.card).toMatchObject({ last4: '4242', exp_month: 4, exp_year: 2040 });
    expect(second.card.fingerprint).toBe(first.card.fingerprint);
    expect(elsewhere.card.fingerprint).not.toBe(first.card.fingerprint);
    const fromToken = await createMethod({ token: 'tok_visa' });
    expect(fromToken.card.fingerprint).toBe(first.card.fingerprint);
  });

  it('when the card or token is not a sandbox one, or the mode is live, then it is 400 naming the field and nothing is written', async () => {
    const before = await stack.count('payment_methods');
    const cases: [Record<string, unknown>, string, Key][] = [
      [{ token: 'tok_unknown' }, 'card[token]', merchant.testKey],
      [
        { number: '5105105105105100', exp_month: 1, exp_year: 2040 },
        'card[number]',
        merchant.testKey,
      ],
      [
        { number: '4242424242424242', exp_month: 1, exp_year: 2001 },
        'card[exp_year]',
        merchant.testKey,
      ],
      [{ number: '4242424242424242' }, 'card[exp_month]', merchant.testKey],
      [{ token: 'tok_visa' }, 'card', merchant.liveKey],
    ];
    for (const [card, param, key] of cases) {
      const response = await stack.call('POST', '/v1/payment_methods', {
        as: key,
        body: { type: 'card', card },
      });
      expect(response.status, response.text).toBe(400);
      expect(response.body.error.param, response.text).toBe(param);
    }
    expect(await stack.count('payment_methods')).toBe(before);
  });

  it('when a PaymentMethod is attached, then it is listed for the customer and payment_method.attached is recorded', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_visa' });

    const attached = await attach(method.id, customer);

    expect(attached.status, attached.text).toBe(200);
    expect(attached.body).toMatchObject({ id: method.id, customer });
    for (const path of [
      `/v1/customers/${customer}/payment_methods`,
      `/v1/payment_methods?customer=${customer}&type=card`,
    ]) {
      const list = await stack.call('GET', path, { as: merchant.testKey });
      expect(list.status, list.text).toBe(200);
      expect(list.body.data.map((item: any) => item.id)).toEqual([method.id]);
    }
    expect(await eventsOf('payment_method.attached', method.id)).toHaveLength(1);
    const again = await attach(method.id, customer);
    expect(again.status).toBe(200);
    expect(await eventsOf('payment_method.attached', method.id)).toHaveLength(1);
  });

  it('when a declining card is attached, then it is 402 with the decline and stays unattached', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_chargeDeclinedInsufficientFunds' });

    const attached = await attach(method.id, customer);

    expectError(attached, 402, 'insufficient_funds');
    expect(attached.body.error.decline_code).toBe('insufficient_funds');
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBeNull();
  });

  it('when a detached PaymentMethod is attached again, or one attached elsewhere, then it is 409 and nothing changes', async () => {
    const customer = await createCustomer();
    const other = await createCustomer();
    const method = await createMethod({ token: 'tok_visa' });
    expect((await attach(method.id, customer)).status).toBe(200);

    expectError(await attach(method.id, other), 409, 'resource_conflict', 'payment_method');
    const detached = await stack.call('POST', `/v1/payment_methods/${method.id}/detach`, {
      as: merchant.testKey,
      body: {},
    });
    expect(detached.status, detached.text).toBe(200);
    expect(detached.body.customer).toBeNull();
    expect(await eventsOf('payment_method.detached', method.id)).toHaveLength(1);

    expectError(await attach(method.id, customer), 409, 'resource_conflict', 'payment_method');
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBeNull();
  });

  it('when a PaymentMethod is updated, then billing details merge, metadata merges by Stripe rules, and payment_method.updated has the previous values', async () => {
    const method = await createMethod(
      { token: 'tok_visa' },
      {
        billing_details: { name: 'Asha', address: { city: 'Pune', country: 'IN' } },
        metadata: { keep: 'yes', drop: 'me' },
      },
    );

    const updated = await stack.call('POST', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
      body: {
        billing_details: { phone: '+91 98765 43210', address: { line1: 'MG Road' } },
        metadata: { drop: '', add: 'new' },
        card: { exp_month: 6, exp_year: 2041 },
      },
    });

    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      billing_details: {
        name: 'Asha',
        phone: '+91 98765 43210',
        address: { city: 'Pune', country: 'IN', line1: 'MG Road', line2: null },
      },
      metadata: { keep: 'yes', add: 'new' },
      card: { exp_month: 6, exp_year: 2041, last4: '4242' },
    });
    const [event] = await eventsOf('payment_method.updated', method.id);
    expect(event.data.object.previous_attributes).toMatchObject({
      metadata: { keep: 'yes', drop: 'me' },
      card: { exp_month: 12 },
    });
    const emptied = await stack.call('POST', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
      body: { metadata: '' },
    });
    expect(emptied.body.metadata).toEqual({});
    expectError(
      await stack.call('POST', `/v1/payment_methods/${method.id}`, {
        as: merchant.testKey,
        body: { card: { exp_year: 2001 } },
      }),
      400,
      'parameter_invalid',
      'card[exp_year]',
    );
  });

  it('when an attached PaymentMethod is charged off-session, then the payment succeeds with it; without its customer it is refused', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_visa' });
    expect((await attach(method.id, customer)).status).toBe(200);

    const paid = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      body: {
        amount: 12_500,
        currency: 'inr',
        customer,
        payment_method: method.id,
        confirm: true,
        off_session: true,
      },
    });

    expect(paid.status, paid.text).toBe(201);
    expect(paid.body).toMatchObject({ status: 'succeeded', payment_method: method.id, customer });
    expectError(
      await stack.call('POST', '/v1/payments', {
        as: merchant.testKey,
        body: { amount: 100, currency: 'inr', payment_method: method.id, confirm: true },
      }),
      400,
      'parameter_missing',
      'customer',
    );
  });

  it('when a PaymentMethod not attached yet pays with setup_future_usage, then it is attached to the customer', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_visa' });

    const paid = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      body: {
        amount: 5_000,
        currency: 'inr',
        customer,
        payment_method: method.id,
        setup_future_usage: 'off_session',
        confirm: true,
      },
    });

    expect(paid.status, paid.text).toBe(201);
    expect(paid.body.status).toBe('succeeded');
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBe(customer);
  });

  it('when a payment is confirmed with a PaymentMethod, then its card pays and setup_future_usage attaches it; another customer’s or a publishable key is refused', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_visa' });
    const payment = await createPayment(stack, merchant.testKey, {
      customer,
      setup_future_usage: 'off_session',
    });
    const confirm = (
      as: Key | undefined,
      paymentMethod: string,
      id = payment.id,
      secret = payment.client_secret,
    ) =>
      stack.call('POST', `/v1/payments/${id}/confirm`, {
        ...(as ? { as } : {}),
        body: { client_secret: secret, method: 'card', payment_method: paymentMethod },
      });

    expectError(
      await confirm(merchant.publishableTestKey, method.id),
      403,
      'secret_key_required',
      'payment_method',
    );
    expectError(await confirm(undefined, method.id), 403, 'secret_key_required');
    const paid = await confirm(merchant.testKey, method.id);

    expect(paid.status, paid.text).toBe(200);
    expect(paid.body).toMatchObject({
      status: 'succeeded',
      payment_method: method.id,
      payment_method_details: { card: { last4: '4242' } },
    });
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBe(customer);
    const other = await createPayment(stack, merchant.testKey, {
      customer: await createCustomer(),
    });
    expectError(
      await confirm(merchant.testKey, method.id, other.id, other.client_secret),
      400,
      'payment_method_customer_mismatch',
      'payment_method',
    );
    const unchanged = await stack.call('GET', `/v1/payments/${other.id}`, { as: merchant.testKey });
    expect(unchanged.body).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
    });
    const challenged = await createPayment(stack, merchant.testKey);
    const threeDs = await createMethod({ token: 'tok_threeDSecureRequired' });
    const needsAction = await confirm(
      merchant.testKey,
      threeDs.id,
      challenged.id,
      challenged.client_secret,
    );
    expect(needsAction.body).toMatchObject({
      status: 'requires_action',
      payment_method: threeDs.id,
    });
  });

  it('when another project names a PaymentMethod, then it is 404 and nothing of it changes', async () => {
    const method = await createMethod({ token: 'tok_visa' });
    const ownCustomer = await createCustomer(otherProject.testKey);
    const other = otherProject.testKey;

    expectError(
      await stack.call('GET', `/v1/payment_methods/${method.id}`, { as: other }),
      404,
      'resource_missing',
    );
    expectError(await attach(method.id, ownCustomer, other), 404, 'resource_missing');
    expectError(
      await stack.call('POST', `/v1/payment_methods/${method.id}`, {
        as: other,
        body: { metadata: { taken: 'over' } },
      }),
      404,
      'resource_missing',
    );
    const list = await stack.call('GET', '/v1/payment_methods?limit=100', { as: other });
    expect(list.body.data.map((item: any) => item.id)).not.toContain(method.id);
    expectError(
      await setupIntent({ payment_method: method.id, customer: ownCustomer, confirm: true }, other),
      404,
      'resource_missing',
      'payment_method',
    );
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body).toMatchObject({ customer: null, metadata: {} });
  });
});

describe('setup intents', () => {
  it('when a SetupIntent is confirmed with a good card, then it succeeds, attaches the card, and the card pays off-session', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_visa' });

    const created = await setupIntent({ customer, metadata: { order: '42' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      object: 'setup_intent',
      status: 'requires_payment_method',
      usage: 'off_session',
      customer,
      payment_method: null,
      metadata: { order: '42' },
    });
    expect(created.body.client_secret).toMatch(new RegExp(`^${created.body.id}_secret_`));
    const updated = await stack.call('POST', `/v1/setup_intents/${created.body.id}`, {
      as: merchant.testKey,
      body: { payment_method: method.id },
    });
    expect(updated.body.status).toBe('requires_confirmation');

    const confirmed = await stack.call('POST', `/v1/setup_intents/${created.body.id}/confirm`, {
      as: merchant.testKey,
      body: {},
    });

    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'succeeded', payment_method: method.id });
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBe(customer);
    expect(await eventsOf('setup_intent.created', created.body.id)).toHaveLength(1);
    expect(await eventsOf('setup_intent.succeeded', created.body.id)).toHaveLength(1);
    expect(await eventsOf('payment_method.attached', method.id)).toHaveLength(1);
    const charged = await stack.call('POST', '/v1/payments', {
      as: merchant.testKey,
      body: {
        amount: 2_000,
        currency: 'inr',
        customer,
        payment_method: method.id,
        confirm: true,
        off_session: true,
      },
    });
    expect(charged.body.status).toBe('succeeded');
    const listed = await stack.call('GET', `/v1/setup_intents?customer=${customer}`, {
      as: merchant.testKey,
    });
    expect(listed.body.data.map((item: any) => item.id)).toEqual([created.body.id]);
  });

  it('when the card needs 3-D Secure, then the SetupIntent requires_action with the challenge page, and completing it attaches the card', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_threeDSecureRequired' });

    const created = await setupIntent({ customer, payment_method: method.id, confirm: true });

    expect(created.status, created.text).toBe(201);
    expect(created.body.status).toBe('requires_action');
    expect(created.body.next_action).toEqual({
      type: 'redirect_to_url',
      redirect_to_url: {
        url: expect.stringContaining(
          `/pay/${created.body.id}/authenticate#${created.body.client_secret}`,
        ),
      },
    });
    expect(await eventsOf('setup_intent.requires_action', created.body.id)).toHaveLength(1);
    expectError(
      await stack.call('POST', `/v1/setup_intents/${created.body.id}/authenticate`, {
        body: { client_secret: `${created.body.id}_secret_wrong0000000000`, outcome: 'complete' },
      }),
      404,
      'resource_missing',
    );

    const completed = await stack.call(
      'POST',
      `/v1/setup_intents/${created.body.id}/authenticate`,
      {
        body: { client_secret: created.body.client_secret, outcome: 'complete' },
      },
    );

    expect(completed.status, completed.text).toBe(200);
    expect(completed.body).toMatchObject({ status: 'succeeded', next_action: null });
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBe(customer);
  });

  it('when a SetupIntent is given a return_url, then it is kept, a confirm replaces it, and one that is not http(s) is 400 naming it with nothing written', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_threeDSecureRequired' });

    const created = await setupIntent({
      customer,
      payment_method: method.id,
      return_url: 'https://shop.example/saved',
    });
    const confirmed = await stack.call('POST', `/v1/setup_intents/${created.body.id}/confirm`, {
      as: merchant.testKey,
      body: { return_url: 'https://shop.example/saved-again' },
    });
    const read = await stack.call('GET', `/v1/setup_intents/${created.body.id}`, {
      as: merchant.testKey,
    });
    const countBefore = await stack.count('setup_intents');
    const badCreate = await setupIntent({ customer, return_url: 'javascript:alert(1)' });
    const badConfirm = await stack.call('POST', `/v1/setup_intents/${created.body.id}/confirm`, {
      as: merchant.testKey,
      body: { return_url: 'ftp://shop.example' },
    });

    expect(created.status, created.text).toBe(201);
    expect(created.body.return_url).toBe('https://shop.example/saved');
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'requires_action',
      return_url: 'https://shop.example/saved-again',
    });
    expect(read.body.return_url).toBe('https://shop.example/saved-again');
    expectError(badCreate, 400, 'parameter_invalid', 'return_url');
    expectError(badConfirm, 400, 'parameter_invalid', 'return_url');
    expect(await stack.count('setup_intents')).toBe(countBefore);
  });

  it('when the 3-D Secure challenge fails, then the setup fails with last_setup_error and the card is not attached', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'pm_card_authenticationRequired' });
    const created = await setupIntent({ customer, payment_method: method.id, confirm: true });

    const failed = await stack.call('POST', `/v1/setup_intents/${created.body.id}/authenticate`, {
      body: { client_secret: created.body.client_secret, outcome: 'fail' },
    });

    expect(failed.body).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_setup_error: { code: 'setup_intent_authentication_failure' },
    });
    expect(await eventsOf('setup_intent.setup_failed', created.body.id)).toHaveLength(1);
    const read = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.customer).toBeNull();
  });

  it('when a declining card is set up, then it is 402 carrying the SetupIntent, which keeps last_setup_error', async () => {
    const customer = await createCustomer();
    const method = await createMethod({ token: 'tok_chargeDeclined' });

    const declined = await setupIntent({ customer, payment_method: method.id, confirm: true });

    expectError(declined, 402, 'card_declined');
    expect(declined.body.error.decline_code).toBe('generic_decline');
    const id = declined.body.error.setup_intent.id as string;
    const read = await stack.call('GET', `/v1/setup_intents/${id}`, { as: merchant.testKey });
    expect(read.body).toMatchObject({
      status: 'requires_payment_method',
      payment_method: null,
      last_setup_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
      },
    });
    expect(await eventsOf('setup_intent.setup_failed', id)).toHaveLength(1);
    const card = await stack.call('GET', `/v1/payment_methods/${method.id}`, {
      as: merchant.testKey,
    });
    expect(card.body.customer).toBeNull();
  });

  it('when a SetupIntent is canceled, then it cannot be confirmed; a succeeded one cannot be canceled', async () => {
    const created = await setupIntent({});
    const canceled = await stack.call('POST', `/v1/setup_intents/${created.body.id}/cancel`, {
      as: merchant.testKey,
      body: { cancellation_reason: 'abandoned' },
    });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect(await eventsOf('setup_intent.canceled', created.body.id)).toHaveLength(1);
    const method = await createMethod({ token: 'tok_visa' });
    expectError(
      await stack.call('POST', `/v1/setup_intents/${created.body.id}/confirm`, {
        as: merchant.testKey,
        body: { payment_method: method.id },
      }),
      409,
      'setup_intent_unexpected_state',
    );
    const succeeded = await setupIntent({ payment_method: method.id, confirm: true });
    expect(succeeded.body.status).toBe('succeeded');
    expectError(
      await stack.call('POST', `/v1/setup_intents/${succeeded.body.id}/cancel`, {
        as: merchant.testKey,
        body: {},
      }),
      409,
      'setup_intent_unexpected_state',
    );
  });

  it('when confirm: true comes without a payment_method, then it is 400 and no SetupIntent is made', async () => {
    const before = await stack.count('setup_intents');
    expectError(await setupIntent({ confirm: true }), 400, 'parameter_missing', 'payment_method');
    expect(await stack.count('setup_intents')).toBe(before);
  });

  it('when another project names a SetupIntent, then it is 404', async () => {
    const created = await setupIntent({});
    const other = otherProject.testKey;
    for (const [method, path] of [
      ['GET', `/v1/setup_intents/${created.body.id}`],
      ['POST', `/v1/setup_intents/${created.body.id}/cancel`],
      ['POST', `/v1/setup_intents/${created.body.id}/confirm`],
    ] as const) {
      expectError(
        await stack.call(method, path, { as: other, ...(method === 'POST' ? { body: {} } : {}) }),
        404,
        'resource_missing',
      );
    }
    const read = await stack.call('GET', `/v1/setup_intents/${created.body.id}`, {
      as: merchant.testKey,
    });
    expect(read.body.status).toBe('requires_payment_method');
  });
});
