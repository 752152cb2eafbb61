import { beforeAll, describe, expect, it } from 'vitest';
import { expectError, stackPerFile, uniqueKey, type TestMerchant } from './support.js';

const stack = stackPerFile('customers');
let merchant: TestMerchant;
let otherMerchant: TestMerchant;

beforeAll(async () => {
  [merchant, otherMerchant] = await stack.registerMerchants('Chai Point', 'Dosa Express');
});

const createCustomer = async (key: TestMerchant['testKey'], body: object = {}) => {
  const response = await stack.call('POST', '/v1/customers', {
    as: key,
    body: { email: 'Asha@Example.com', name: 'Asha Verma', ...body },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
};

const eventsOf = async (key: TestMerchant['testKey'], type: string) => {
  const response = await stack.call('GET', `/v1/events?type=${type}&limit=100`, { as: key });
  expect(response.status, response.text).toBe(200);
  return response.body.data as { type: string; data: { object: Record<string, unknown> } }[];
};

describe('customers', () => {
  it('when a merchant creates a customer, then it reads back Stripe-shaped and customer.created is recorded', async () => {
    const customer = await createCustomer(merchant.testKey, { metadata: { crm: '42' } });

    expect(customer).toMatchObject({
      object: 'customer',
      email: 'asha@example.com',
      name: 'Asha Verma',
      description: null,
      phone: null,
      metadata: { crm: '42' },
      livemode: false,
    });
    expect(customer.id).toMatch(/^cus_[0-9a-z]{26}$/);
    const read = await stack.call('GET', `/v1/customers/${customer.id}`, { as: merchant.testKey });
    expect(read.body).toEqual(customer);
    const created = await eventsOf(merchant.testKey, 'customer.created');
    expect(created.map((event) => event.data.object.id)).toContain(customer.id);
  });

  it('when fields are bad, then 400 names the field and no customer is written', async () => {
    const before = await stack.count('customers');
    expectError(
      await stack.call('POST', '/v1/customers', {
        as: merchant.testKey,
        body: { email: 'not-an-email' },
      }),
      400,
      'parameter_invalid',
      'email',
    );
    expectError(
      await stack.call('POST', '/v1/customers', {
        as: merchant.testKey,
        body: { name: 'A', nickname: 'x' },
      }),
      400,
      'parameter_unknown',
      'nickname',
    );
    expectError(
      await stack.call('POST', '/v1/customers', {
        as: merchant.testKey,
        body: { metadata: { key: 5 } },
      }),
      400,
      'parameter_invalid',
      'metadata[key]',
    );
    expect(await stack.count('customers')).toBe(before);
  });

  it('when a customer is updated, then the named fields change and customer.updated says what they were', async () => {
    const customer = await createCustomer(merchant.testKey);

    const response = await stack.call('POST', `/v1/customers/${customer.id}`, {
      as: merchant.testKey,
      body: { name: 'Asha V.', phone: '+91 98765 43210', email: null },
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Asha V.',
      phone: '+91 98765 43210',
      email: null,
    });
    const updated = (await eventsOf(merchant.testKey, 'customer.updated')).find(
      (event) => event.data.object.id === customer.id,
    );
    expect(updated?.data.object.previous_attributes).toEqual({
      name: 'Asha Verma',
      phone: null,
      email: 'asha@example.com',
    });
  });

  it('when a customer has a shipping address, then it reads back, an update replaces it and null or "" removes it', async () => {
    const shipping = {
      name: 'Asha Verma',
      phone: '+91 98765 43210',
      address: { line1: '12 MG Road', city: 'Bengaluru', postal_code: '560001', country: 'in' },
    };
    const customer = await createCustomer(merchant.testKey, { shipping });
    const kept = {
      name: 'Asha Verma',
      phone: '+91 98765 43210',
      address: {
        line1: '12 MG Road',
        line2: null,
        city: 'Bengaluru',
        state: null,
        postal_code: '560001',
        country: 'IN',
      },
    };
    expect(customer.shipping).toEqual(kept);
    const read = await stack.call('GET', `/v1/customers/${customer.id}`, { as: merchant.testKey });
    expect(read.body.shipping).toEqual(kept);
    const update = (body: object) =>
      stack.call('POST', `/v1/customers/${customer.id}`, { as: merchant.testKey, body });

    const moved = await update({ shipping: { name: 'Ravi', address: { line1: '4 Park St' } } });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.shipping).toEqual({
      name: 'Ravi',
      phone: null,
      address: {
        line1: '4 Park St',
        line2: null,
        city: null,
        state: null,
        postal_code: null,
        country: null,
      },
    });
    expect((await update({ shipping: '' })).body.shipping).toBeNull();
    await update({ shipping });
    expect((await update({ shipping: null })).body.shipping).toBeNull();
    expect((await createCustomer(merchant.testKey)).shipping).toBeNull();
  });

  it('when a shipping address is bad, then 400 names the field and nothing is written', async () => {
    const before = await stack.count('customers');
    const create = (shipping: object) =>
      stack.call('POST', '/v1/customers', { as: merchant.testKey, body: { shipping } });
    expectError(
      await create({ address: { line1: 'x' } }),
      400,
      'parameter_missing',
      'shipping[name]',
    );
    expectError(
      await create({ name: 'A', address: {} }),
      400,
      'parameter_missing',
      'shipping[address][line1]',
    );
    expectError(
      await create({ name: 'A', address: { line1: 'x', country: 'India' } }),
      400,
      'parameter_invalid',
      'shipping[address][country]',
    );
    expectError(
      await create({ name: 'A', address: { line1: 'x' }, floor: 3 }),
      400,
      'parameter_unknown',
      'shipping[floor]',
    );
    expect(await stack.count('customers')).toBe(before);
    const customer = await createCustomer(merchant.testKey, {
      shipping: { name: 'A', address: { line1: 'x' } },
    });
    expectError(
      await stack.call('POST', `/v1/customers/${customer.id}`, {
        as: merchant.testKey,
        body: { shipping: { name: 'B', phone: 'call me', address: { line1: 'y' } } },
      }),
      400,
      'parameter_invalid',
      'shipping[phone]',
    );
    const read = await stack.call('GET', `/v1/customers/${customer.id}`, { as: merchant.testKey });
    expect(read.body.shipping.name).toBe('A');
  });

  it('when nothing changes in an update, then no event is recorded', async () => {
    const customer = await createCustomer(merchant.testKey);
    const before = await stack.count('events', `object_id = '${customer.id}'`);
    const response = await stack.call('POST', `/v1/customers/${customer.id}`, {
      as: merchant.testKey,
      body: { name: 'Asha Verma' },
    });
    expect(response.status, response.text).toBe(200);
    expect(await stack.count('events', `object_id = '${customer.id}'`)).toBe(before);
  });

  it("when a customer is deleted, then it reads as Stripe's deleted object, leaves the list and cannot be used", async () => {
    const customer = await createCustomer(merchant.testKey);

    const response = await fetchDelete(customer.id, merchant.testKey);

    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ id: customer.id, object: 'customer', deleted: true });
    const read = await stack.call('GET', `/v1/customers/${customer.id}`, { as: merchant.testKey });
    expect(read.status, read.text).toBe(200);
    expect(read.body).toEqual({ id: customer.id, object: 'customer', deleted: true });
    expectError(
      await stack.call('GET', `/v1/customers/${customer.id}`, { as: otherMerchant.testKey }),
      404,
      'resource_missing',
    );
    expectError(
      await stack.call('POST', `/v1/customers/${customer.id}`, {
        as: merchant.testKey,
        body: { name: 'Back again' },
      }),
      404,
      'resource_missing',
    );
    expectError(
      await stack.call('GET', `/v1/customers/${customer.id}/payment_methods`, {
        as: merchant.testKey,
      }),
      404,
      'resource_missing',
    );
    expectError(
      await stack.call('POST', '/v1/payments', {
        as: merchant.testKey,
        body: { amount: 1000, currency: 'inr', customer: customer.id },
      }),
      404,
      'resource_missing',
      'customer',
    );
    const list = await stack.call('GET', '/v1/customers?limit=100', { as: merchant.testKey });
    expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(customer.id);
    expect((await fetchDelete(customer.id, merchant.testKey)).status).toBe(404);
    const deleted = await eventsOf(merchant.testKey, 'customer.deleted');
    expect(deleted.map((event) => event.data.object.id)).toContain(customer.id);
  });

  it('when customers are listed, then newest first, paginated with cursors and filtered by email', async () => {
    const email = `${uniqueKey()}@example.com`;
    const first = await createCustomer(merchant.testKey, { email });
    const second = await createCustomer(merchant.testKey, { email });
    const third = await createCustomer(merchant.testKey, { email });

    const page1 = await stack.call('GET', `/v1/customers?email=${email}&limit=2`, {
      as: merchant.testKey,
    });
    expect(page1.body.object).toBe('list');
    expect(page1.body.data.map((c: { id: string }) => c.id)).toEqual([third.id, second.id]);
    expect(page1.body.has_more).toBe(true);
    const page2 = await stack.call(
      'GET',
      `/v1/customers?email=${email}&limit=2&starting_after=${second.id}`,
      { as: merchant.testKey },
    );
    expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual([first.id]);
    expect(page2.body.has_more).toBe(false);
    expectError(
      await stack.call('GET', '/v1/customers?starting_after=pay_01kb3v4y7m9q2x8c5d6e7f8g9h', {
        as: merchant.testKey,
      }),
      400,
      'parameter_invalid',
      'starting_after',
    );
  });

  it('when another merchant or the other mode asks for a customer, then it is 404 and nothing changes', async () => {
    const customer = await createCustomer(merchant.testKey);

    for (const key of [otherMerchant.testKey, merchant.liveKey]) {
      expectError(
        await stack.call('GET', `/v1/customers/${customer.id}`, { as: key }),
        404,
        'resource_missing',
      );
      expectError(
        await stack.call('POST', `/v1/customers/${customer.id}`, {
          as: key,
          body: { name: 'Mallory' },
        }),
        404,
        'resource_missing',
      );
      expect((await fetchDelete(customer.id, key)).status).toBe(404);
      expectError(
        await stack.call('GET', `/v1/customers/${customer.id}/payment_methods`, { as: key }),
        404,
        'resource_missing',
      );
      const list = await stack.call('GET', '/v1/customers?limit=100', { as: key });
      expect(list.body.data.map((c: { id: string }) => c.id)).not.toContain(customer.id);
    }
    const read = await stack.call('GET', `/v1/customers/${customer.id}`, { as: merchant.testKey });
    expect(read.body.name).toBe('Asha Verma');
  });

  it('when a publishable key or a person calls, then it is refused', async () => {
    const response = await stack.call('GET', '/v1/customers', { as: merchant.publishableTestKey });
    expect(response.status).toBe(403);
    const anonymous = await stack.call('GET', '/v1/customers');
    expect(anonymous.status).toBe(401);
  });
});

function fetchDelete(id: string, key: TestMerchant['testKey']) {
  return stack.call('DELETE', `/v1/customers/${id}`, { as: key });
}

describe('test data reset', () => {
  it('when the test data is reset, then customers, saved cards, QR codes and links leave the test lists; live ones stay', async () => {
    const shop = await stack.registerMerchant('Reset Shop');
    const customer = await createCustomer(shop.testKey);
    const liveCustomer = await createCustomer(shop.liveKey);
    const qr = await stack.call('POST', '/v1/qr_codes', {
      as: shop.testKey,
      body: { usage: 'multiple_use', fixed_amount: false, description: 'Till' },
    });
    const link = await stack.call('POST', '/v1/payment_links', {
      as: shop.testKey,
      body: { amount: 1_000, currency: 'inr', description: 'Tea' },
    });
    expect([qr.status, link.status]).toEqual([201, 201]);

    const reset = await stack.call('POST', '/v1/test_helpers/reset', { as: shop.testKey });

    expect(reset.status, reset.text).toBe(200);
    for (const path of ['/v1/customers', '/v1/qr_codes', '/v1/payment_links']) {
      const list = await stack.call('GET', path, { as: shop.testKey });
      expect(list.body.data, path).toEqual([]);
    }
    expectError(
      await stack.call('GET', `/v1/customers/${customer.id}`, { as: shop.testKey }),
      404,
      'resource_missing',
    );
    const live = await stack.call('GET', '/v1/customers', { as: shop.liveKey });
    expect(live.body.data.map((c: { id: string }) => c.id)).toEqual([liveCustomer.id]);
  });
});
