import { beforeAll, describe, expect, it } from 'vitest';
import {
  anonymous,
  cardBody,
  expectError,
  sandboxCards,
  stackPerFile,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('checkout_sessions');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Chai Point', 'Dosa Express');
});

type Key = TestMerchant['testKey'];

const cart = {
  line_items: [
    {
      price_data: {
        currency: 'inr',
        unit_amount: 12_000,
        product_data: { name: 'Masala chai', description: 'Loose leaf, 250 g' },
      },
      quantity: 2,
    },
    {
      price_data: { currency: 'inr', unit_amount: 5_000, product_data: { name: 'Mug' } },
      quantity: 1,
    },
  ],
  client_reference_id: 'order-1042',
  success_url: 'https://shop.example/thanks?session={CHECKOUT_SESSION_ID}',
  cancel_url: 'https://shop.example/cart',
  metadata: { order: '1042' },
};

const createSession = async (key: Key, body: Record<string, unknown> = {}) => {
  const response = await stack.call('POST', '/v1/checkout/sessions', {
    as: key,
    body: { ...cart, ...body },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
};

/** What the hosted page does with the session's url: the payment id and its client secret. */
const payOnHostedPage = async (session: { url: string }, card = sandboxCards.succeeds) => {
  const url = new URL(session.url);
  const paymentId = url.pathname.split('/').at(-1)!;
  return stack.call('POST', `/v1/payments/${paymentId}/confirm`, {
    body: cardBody(url.hash.slice(1), card),
  });
};

const eventsOf = (sessionId: string, type: string) =>
  stack.count('events', `object_id = '${sessionId}' and type = '${type}'`);

describe('checkout sessions', () => {
  it('when a merchant creates a session with line items, then it is open with computed amounts, the resolved success_url and a hosted checkout url for its payment', async () => {
    const session = await createSession(merchant.testKey);

    expect(session.id).toMatch(/^cs_test_[0-9a-z]{26}$/);
    expect(session).toMatchObject({
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: 29_000,
      amount_total: 29_000,
      currency: 'inr',
      client_reference_id: 'order-1042',
      success_url: `https://shop.example/thanks?session=${session.id}`,
      cancel_url: 'https://shop.example/cart',
      metadata: { order: '1042' },
      livemode: false,
      completed_at: null,
    });
    expect(session.expires_at - session.created).toBe(24 * 3600);
    expect(session.url).toMatch(
      new RegExp(
        `^https://checkout\\.expe\\.test/pay/${session.payment_intent}\\?checkout_session=${session.id}#`,
      ),
    );
    const payment = await stack.call('GET', `/v1/payments/${session.payment_intent}`, {
      as: merchant.testKey,
    });
    expect(payment.body).toMatchObject({
      amount: 29_000,
      currency: 'inr',
      description: 'Masala chai × 2, Mug',
      return_url: `https://shop.example/thanks?session=${session.id}`,
      status: 'requires_payment_method',
    });
  });

  it('when the line items are listed, then they come in the order given with their amounts, a page at a time', async () => {
    const session = await createSession(merchant.testKey);

    const all = await stack.call('GET', `/v1/checkout/sessions/${session.id}/line_items`, {
      as: merchant.testKey,
    });
    const first = await stack.call(
      'GET',
      `/v1/checkout/sessions/${session.id}/line_items?limit=1`,
      { as: merchant.testKey },
    );
    const second = await stack.call(
      'GET',
      `/v1/checkout/sessions/${session.id}/line_items?limit=1&starting_after=${first.body.data[0].id}`,
      { as: merchant.testKey },
    );

    expect(all.status, all.text).toBe(200);
    expect(all.body).toMatchObject({ object: 'list', has_more: false });
    expect(all.body.data).toEqual([
      {
        id: expect.stringMatching(/^li_/),
        object: 'item',
        description: 'Masala chai',
        currency: 'inr',
        quantity: 2,
        price_data: {
          currency: 'inr',
          unit_amount: 12_000,
          product_data: { name: 'Masala chai', description: 'Loose leaf, 250 g' },
        },
        amount_subtotal: 24_000,
        amount_total: 24_000,
      },
      expect.objectContaining({ description: 'Mug', quantity: 1, amount_total: 5_000 }),
    ]);
    expect(first.body.has_more).toBe(true);
    expect(second.body.data.map((item: { description: string }) => item.description)).toEqual([
      'Mug',
    ]);
    expect(second.body.has_more).toBe(false);
  });

  it("when the hosted page reads the line items with the payment's client secret and no key, then it gets them; a wrong secret is 404 as for no session", async () => {
    const session = await createSession(merchant.testKey);
    const secret = new URL(session.url).hash.slice(1);
    const other = await createSession(merchant.testKey);
    const otherSecret = new URL(other.url).hash.slice(1);

    const read = (secretOf: string) =>
      stack.call(
        'GET',
        `/v1/checkout/sessions/${session.id}/line_items?client_secret=${encodeURIComponent(secretOf)}`,
        { as: anonymous },
      );
    const items = await read(secret);
    const wrong = await read(otherSecret);
    const withoutKey = await stack.call('GET', `/v1/checkout/sessions/${session.id}/line_items`, {
      as: anonymous,
    });

    expect(items.status, items.text).toBe(200);
    expect(items.body.data.map((item: { description: string }) => item.description)).toEqual([
      'Masala chai',
      'Mug',
    ]);
    expectError(wrong, 404, 'resource_missing');
    expect(withoutKey.status).toBe(401);
  });

  it('when the payer pays on the hosted page, then the session is complete and paid and checkout.session.completed is recorded once', async () => {
    const session = await createSession(merchant.testKey);

    const paid = await payOnHostedPage(session);
    const read = await stack.call('GET', `/v1/checkout/sessions/${session.id}`, {
      as: merchant.testKey,
    });

    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.status).toBe('succeeded');
    expect(read.body).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      url: null,
      completed_at: expect.any(Number),
    });
    expect(await eventsOf(session.id, 'checkout.session.completed')).toBe(1);
    const events = await stack.call('GET', '/v1/events?type=checkout.session.completed', {
      as: merchant.testKey,
    });
    const event = events.body.data.find(
      (item: { data: { object: { id: string } } }) => item.data.object.id === session.id,
    );
    expect(event.data.object).toMatchObject({
      object: 'checkout.session',
      status: 'complete',
      client_reference_id: 'order-1042',
      payment_intent: session.payment_intent,
    });
    // As Stripe sends payment_intent.succeeded and checkout.session.completed for one payment,
    // the change is two events, each with its own id (one Expe event is one Stripe event).
    const succeeded = await stack.call('GET', '/v1/events?type=payment.succeeded&limit=100', {
      as: merchant.testKey,
    });
    const paymentEvent = succeeded.body.data.find(
      (item: { data: { object: { id: string } } }) =>
        item.data.object.id === session.payment_intent,
    );
    expect(paymentEvent.id).not.toBe(event.id);
  });

  it('when a card is declined on the hosted page, then the session stays open and can still be paid', async () => {
    const session = await createSession(merchant.testKey);

    const declined = await payOnHostedPage(session, sandboxCards.declined);
    const open = await stack.call('GET', `/v1/checkout/sessions/${session.id}`, {
      as: merchant.testKey,
    });
    const paid = await payOnHostedPage(session);

    expect(declined.status).toBe(402);
    expect(open.body.status).toBe('open');
    expect(paid.status, paid.text).toBe(200);
    expect(await eventsOf(session.id, 'checkout.session.completed')).toBe(1);
  });

  it('when the merchant expires an open session, then it is expired, its payment canceled, checkout.session.expired recorded, and it can be neither paid nor expired again', async () => {
    const session = await createSession(merchant.testKey);

    const expired = await stack.call('POST', `/v1/checkout/sessions/${session.id}/expire`, {
      as: merchant.testKey,
    });
    const again = await stack.call('POST', `/v1/checkout/sessions/${session.id}/expire`, {
      as: merchant.testKey,
    });
    const pay = await payOnHostedPage(session);
    const payment = await stack.call('GET', `/v1/payments/${session.payment_intent}`, {
      as: merchant.testKey,
    });

    expect(expired.status, expired.text).toBe(200);
    expect(expired.body).toMatchObject({ status: 'expired', payment_status: 'unpaid', url: null });
    expectError(again, 409, 'checkout_session_unexpected_state');
    expectError(pay, 409, 'payment_unexpected_state');
    expect(payment.body.status).toBe('canceled');
    expect(await eventsOf(session.id, 'checkout.session.expired')).toBe(1);
  });

  it('when a paid session is expired, then it is refused and stays complete', async () => {
    const session = await createSession(merchant.testKey);
    await payOnHostedPage(session);

    const expire = await stack.call('POST', `/v1/checkout/sessions/${session.id}/expire`, {
      as: merchant.testKey,
    });

    expectError(expire, 409, 'checkout_session_unexpected_state');
    expect(await eventsOf(session.id, 'checkout.session.expired')).toBe(0);
  });

  it('when nobody pays before expires_at by the project clock, then the session expires with its payment', async () => {
    const own = await stack.registerMerchant('Clocked Shop');
    const session = await createSession(own.testKey);

    const advanced = await stack.call('POST', '/v1/test_helpers/clock/advance', {
      as: own.testKey,
      body: { seconds: 24 * 3600 + 60 },
    });
    const read = await stack.call('GET', `/v1/checkout/sessions/${session.id}`, {
      as: own.testKey,
    });

    expect(advanced.status, advanced.text).toBe(200);
    expect(read.body.status).toBe('expired');
    expect(await eventsOf(session.id, 'checkout.session.expired')).toBe(1);
  });

  it('when sessions are listed, then they filter by payment_intent, customer and status within the project', async () => {
    const own = await stack.registerMerchant('List Shop');
    const customer = await stack.call('POST', '/v1/customers', {
      as: own.testKey,
      body: { email: 'asha@example.com' },
    });
    const plain = await createSession(own.testKey);
    const ofCustomer = await createSession(own.testKey, { customer: customer.body.id });
    await payOnHostedPage(plain);

    const list = (query: string, key: Key = own.testKey) =>
      stack.call('GET', `/v1/checkout/sessions${query}`, { as: key });
    const ids = (response: { body: { data: { id: string }[] } }) =>
      response.body.data.map((item) => item.id);

    expect(ids(await list(''))).toEqual([ofCustomer.id, plain.id]);
    expect(ids(await list(`?payment_intent=${plain.payment_intent}`))).toEqual([plain.id]);
    expect(ids(await list(`?customer=${customer.body.id}`))).toEqual([ofCustomer.id]);
    expect(ids(await list('?status=complete'))).toEqual([plain.id]);
    expect(ids(await list('?status=open'))).toEqual([ofCustomer.id]);
    expect(ofCustomer.customer).toBe(customer.body.id);
    expect(
      ids(await list(`?payment_intent=${plain.payment_intent}`, otherMerchant.testKey)),
    ).toEqual([]);
    expect(ids(await list('', own.liveKey))).toEqual([]);
  });

  it('when another project or mode names a session, then it is 404 as for one that does not exist', async () => {
    const session = await createSession(merchant.testKey);

    for (const key of [otherMerchant.testKey, merchant.liveKey]) {
      for (const [method, path] of [
        ['GET', `/v1/checkout/sessions/${session.id}`],
        ['GET', `/v1/checkout/sessions/${session.id}/line_items`],
        ['POST', `/v1/checkout/sessions/${session.id}/expire`],
      ] as const) {
        expectError(await stack.call(method, path, { as: key }), 404, 'resource_missing');
      }
    }
    expect(
      (await stack.call('GET', `/v1/checkout/sessions/${session.id}`, { as: merchant.testKey }))
        .body.status,
    ).toBe('open');
  });

  it('when a line item names a price, mixes currencies, or the cart is bad, then it is 400 naming the field and nothing is written', async () => {
    const own = await stack.registerMerchant('Refusing Shop');
    const item = cart.line_items[0]!;
    const cases: [Record<string, unknown>, string][] = [
      [{ line_items: [{ price: 'price_1Nabc', quantity: 1 }] }, 'line_items[0][price_data]'],
      [{ line_items: [{ ...item, price: 'price_1Nabc' }] }, 'line_items[0][price]'],
      [
        {
          line_items: [item, { ...item, price_data: { ...item.price_data, currency: 'usd' } }],
        },
        'line_items[1][price_data][currency]',
      ],
      [{ line_items: [] }, 'line_items'],
      [{ line_items: [{ ...item, quantity: 0 }] }, 'line_items[0][quantity]'],
      [
        { line_items: [{ ...item, price_data: { ...item.price_data, unit_amount: 0 } }] },
        'line_items',
      ],
      [{ success_url: 'javascript:alert(1)' }, 'success_url'],
      [{ mode: 'subscription' }, 'mode'],
      [{ customer: 'cus_0123456789abcdefghijklmnop' }, 'customer'],
      [{ expires_at: Math.floor(Date.now() / 1000) + 60 }, 'expires_at'],
    ];
    for (const [body, param] of cases) {
      const response = await stack.call('POST', '/v1/checkout/sessions', {
        as: own.testKey,
        body: { ...cart, ...body },
      });
      expect(response.status, `${param}: ${response.text}`).toBeGreaterThanOrEqual(400);
      expect(response.status, `${param}: ${response.text}`).toBeLessThan(500);
      expect(response.body.error.param, response.text).toBe(param);
    }
    const price = await stack.call('POST', '/v1/checkout/sessions', {
      as: own.testKey,
      body: { ...cart, line_items: [{ ...item, price: 'price_1Nabc' }] },
    });
    expect(price.body.error.message).toMatch(/Prices are not modelled/);
    expect(await stack.count('checkout_sessions', `project_id = '${own.projectId}'`)).toBe(0);
    expect(await stack.count('payments', `project_id = '${own.projectId}'`)).toBe(0);
  });
});
