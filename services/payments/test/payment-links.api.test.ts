import { beforeAll, describe, expect, it } from 'vitest';
import { anonymous, cardBody, expectError, stackPerFile, type TestMerchant } from './support.js';

const stack = stackPerFile('payment_links');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Chai Point', 'Dosa Express');
});

type Key = TestMerchant['testKey'];

const createLink = async (key: Key, body: Record<string, unknown> = {}) => {
  const response = await stack.call('POST', '/v1/payment_links', {
    as: key,
    body: { amount: 29_900, currency: 'inr', description: 'Chai subscription', ...body },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
};

/** What the link's public page does: no credentials at all. */
const checkout = (id: string) =>
  stack.call('POST', `/v1/payment_links/${id}/checkout`, { as: anonymous });

const payByCard = async (session: { payment: string; client_secret: string }) => {
  const response = await stack.call('POST', `/v1/payments/${session.payment}/confirm`, {
    body: cardBody(session.client_secret, '4242424242424242'),
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
};

describe('payment links', () => {
  it('when a merchant creates a link, then its url opens the hosted checkout for a payment of the link', async () => {
    const link = await createLink(merchant.testKey);

    expect(link).toMatchObject({
      object: 'payment_link',
      amount: 29_900,
      currency: 'inr',
      description: 'Chai subscription',
      reusable: false,
      active: true,
      payments_count: 0,
      livemode: false,
    });
    expect(link.id).toMatch(/^plink_[0-9a-z]{26}$/);
    expect(link.url).toBe(`https://checkout.expe.test/pay/link/${link.id}`);

    const session = await checkout(link.id);
    expect(session.status, session.text).toBe(201);
    // The public page learns the payment and its client secret: nothing of the merchant's.
    expect(Object.keys(session.body).sort()).toEqual(['client_secret', 'object', 'payment']);
    const payment = await stack.call(
      'GET',
      `/v1/payments/${session.body.payment}?client_secret=${session.body.client_secret}`,
    );
    expect(payment.body).toMatchObject({
      amount: 29_900,
      currency: 'inr',
      description: 'Chai subscription',
      payment_link: link.id,
      status: 'requires_payment_method',
    });
  });

  it('when a one-payment link is paid, then payment_link.paid fires, it deactivates and refuses checkout with 409', async () => {
    const link = await createLink(merchant.testKey);
    const first = await checkout(link.id);
    const again = await checkout(link.id);
    // Two visitors of an unpaid one-payment link get the same payment, so it is paid once.
    expect(again.body.payment).toBe(first.body.payment);

    const paid = await payByCard(first.body);

    expect(paid).toMatchObject({ status: 'succeeded', payment_link: link.id });
    const read = await stack.call('GET', `/v1/payment_links/${link.id}`, { as: merchant.testKey });
    expect(read.body).toMatchObject({ active: false, payments_count: 1 });
    const payments = await stack.count('payments');
    expectError(await checkout(link.id), 409, 'payment_link_inactive');
    expect(await stack.count('payments')).toBe(payments);
    const events = await stack.call('GET', '/v1/events?type=payment_link.paid', {
      as: merchant.testKey,
    });
    expect(events.body.data[0].data.object).toMatchObject({ id: link.id, payment: paid.id });
    expectError(
      await stack.call('POST', `/v1/payment_links/${link.id}`, {
        as: merchant.testKey,
        body: { active: true },
      }),
      409,
      'payment_link_inactive',
      'active',
    );
  });

  it('when 20 visitors open a one-payment link at once, then they all get the same payment, and it is paid once', async () => {
    const link = await createLink(merchant.testKey);

    const sessions = await Promise.all(Array.from({ length: 20 }, () => checkout(link.id)));

    expect(sessions.every((session) => session.status === 201)).toBe(true);
    expect(new Set(sessions.map((session) => session.body.payment)).size).toBe(1);
    const payments = await Promise.all(
      sessions.slice(0, 5).map((session) =>
        stack.call('POST', `/v1/payments/${session.body.payment}/confirm`, {
          body: cardBody(session.body.client_secret, '4242424242424242'),
        }),
      ),
    );
    expect(payments.filter((answer) => answer.status === 200)).toHaveLength(1);
    const read = await stack.call('GET', `/v1/payment_links/${link.id}`, { as: merchant.testKey });
    expect(read.body).toMatchObject({ active: false, payments_count: 1 });
  });

  it('when a reusable link is paid twice, then each visit gets its own payment and it stays active', async () => {
    const link = await createLink(merchant.testKey, { reusable: true });

    const a = await checkout(link.id);
    const b = await checkout(link.id);
    expect(b.body.payment).not.toBe(a.body.payment);
    await payByCard(a.body);
    await payByCard(b.body);

    const read = await stack.call('GET', `/v1/payment_links/${link.id}`, { as: merchant.testKey });
    expect(read.body).toMatchObject({ active: true, payments_count: 2 });
  });

  it('when a link is deactivated, then its page refuses checkout; reactivating reopens it', async () => {
    const link = await createLink(merchant.testKey, { reusable: true });

    const off = await stack.call('POST', `/v1/payment_links/${link.id}`, {
      as: merchant.testKey,
      body: { active: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.body.active).toBe(false);
    expectError(await checkout(link.id), 409, 'payment_link_inactive');
    const on = await stack.call('POST', `/v1/payment_links/${link.id}`, {
      as: merchant.testKey,
      body: { active: true },
    });
    expect(on.body.active).toBe(true);
    expect((await checkout(link.id)).status).toBe(201);
  });

  it('when the input is bad, then 400 names the field and no link is written', async () => {
    const before = await stack.count('payment_links');
    const post = (body: object) =>
      stack.call('POST', '/v1/payment_links', { as: merchant.testKey, body });
    const base = { amount: 100, currency: 'inr', description: 'x' };

    expectError(await post({ ...base, amount: -1 }), 400, 'parameter_invalid', 'amount');
    expectError(await post({ ...base, currency: 'xyz' }), 400, 'parameter_invalid', 'currency');
    expectError(
      await post({ ...base, description: undefined }),
      400,
      'parameter_missing',
      'description',
    );
    expectError(await post({ ...base, reusable: 'yes' }), 400, 'parameter_invalid', 'reusable');
    expectError(
      await post({ ...base, redirect_url: 'https://evil.example' }),
      400,
      'parameter_unknown',
      'redirect_url',
    );
    expect(await stack.count('payment_links')).toBe(before);
    expectError(
      await stack.call('POST', '/v1/payment_links/plink_nope/checkout', { as: anonymous }),
      404,
      'resource_missing',
    );
  });

  it('when another merchant or the other mode asks for a link, then 404; the public checkout still works for payers', async () => {
    const link = await createLink(merchant.testKey);

    for (const key of [otherMerchant.testKey, merchant.liveKey]) {
      expectError(
        await stack.call('GET', `/v1/payment_links/${link.id}`, { as: key }),
        404,
        'resource_missing',
      );
      expectError(
        await stack.call('POST', `/v1/payment_links/${link.id}`, {
          as: key,
          body: { active: false },
        }),
        404,
        'resource_missing',
      );
      const list = await stack.call('GET', '/v1/payment_links?limit=100', { as: key });
      expect(list.body.data.map((l: any) => l.id)).not.toContain(link.id);
    }
    expect((await checkout(link.id)).status).toBe(201);
  });
});
