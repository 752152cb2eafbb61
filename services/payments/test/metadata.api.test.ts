import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPaidPayment,
  createPayment,
  expectError,
  stackPerFile,
  type TestMerchant,
} from './support.js';

const stack = stackPerFile('metadata');
let merchant: TestMerchant;

beforeAll(async () => {
  merchant = await stack.registerMerchant('Chai Point');
});

/** Every object whose metadata an update may change, made with `{ a: '1', b: '2' }`. */
const updatable: Record<string, () => Promise<{ id: string; path: string }>> = {
  customer: async () => {
    const response = await stack.call('POST', '/v1/customers', {
      as: merchant.testKey,
      body: { metadata: { a: '1', b: '2' } },
    });
    expect(response.status, response.text).toBe(201);
    return { id: response.body.id, path: `/v1/customers/${response.body.id}` };
  },
  payment: async () => {
    const payment = await createPayment(stack, merchant.testKey, { metadata: { a: '1', b: '2' } });
    return { id: payment.id, path: `/v1/payments/${payment.id}` };
  },
  refund: async () => {
    const paid = await createPaidPayment(stack, merchant.testKey);
    const response = await stack.call('POST', '/v1/refunds', {
      as: merchant.testKey,
      body: { payment: paid.id, amount: 100, metadata: { a: '1', b: '2' } },
    });
    expect(response.status, response.text).toBe(201);
    return { id: response.body.id, path: `/v1/refunds/${response.body.id}` };
  },
  payment_link: async () => {
    const response = await stack.call('POST', '/v1/payment_links', {
      as: merchant.testKey,
      body: { amount: 1000, currency: 'inr', description: 'Chai', metadata: { a: '1', b: '2' } },
    });
    expect(response.status, response.text).toBe(201);
    return { id: response.body.id, path: `/v1/payment_links/${response.body.id}` };
  },
};

const update = (path: string, body: object) =>
  stack.call('POST', path, { as: merchant.testKey, body });

describe.each(Object.keys(updatable))('metadata of a %s (Stripe rules)', (kind) => {
  it('when an update names some keys, then they merge into the existing ones', async () => {
    const { path } = await updatable[kind]!();
    const response = await update(path, { metadata: { b: 'two', c: '3' } });
    expect(response.status, response.text).toBe(200);
    expect(response.body.metadata).toEqual({ a: '1', b: 'two', c: '3' });
    const read = await stack.call('GET', path, { as: merchant.testKey });
    expect(read.body.metadata).toEqual({ a: '1', b: 'two', c: '3' });
  });

  it('when a key is set to "", then only that key is removed', async () => {
    const { path } = await updatable[kind]!();
    const response = await update(path, { metadata: { a: '' } });
    expect(response.status, response.text).toBe(200);
    expect(response.body.metadata).toEqual({ b: '2' });
  });

  it('when metadata is "" or null, then every key is removed', async () => {
    for (const cleared of ['', null]) {
      const { path } = await updatable[kind]!();
      const response = await update(path, { metadata: cleared });
      expect(response.status, response.text).toBe(200);
      expect(response.body.metadata).toEqual({});
    }
  });

  it("when an update breaks Stripe's limits, then 400 names metadata[key] and nothing changes", async () => {
    const { path } = await updatable[kind]!();
    expectError(
      await update(path, { metadata: { ['k'.repeat(41)]: 'v' } }),
      400,
      'parameter_invalid',
      `metadata[${'k'.repeat(41)}]`,
    );
    expectError(
      await update(path, { metadata: { a: 'v'.repeat(501) } }),
      400,
      'parameter_invalid',
      'metadata[a]',
    );
    // 48 new keys beside the two there: 50 in all is allowed, one more is not.
    const many = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v']));
    expect((await update(path, { metadata: many })).status).toBe(200);
    expectError(
      await update(path, { metadata: { one_more: 'v' } }),
      400,
      'parameter_invalid',
      'metadata',
    );
    const read = await stack.call('GET', path, { as: merchant.testKey });
    expect(Object.keys(read.body.metadata)).toHaveLength(50);
  });
});

describe('updating a payment', () => {
  it('when description, customer_email and metadata are updated, then the payment keeps everything else', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    const response = await update(`/v1/payments/${payment.id}`, {
      description: 'Two masala chai',
      customer_email: 'Asha@Example.com',
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      id: payment.id,
      amount: payment.amount,
      status: payment.status,
      description: 'Two masala chai',
      customer_email: 'asha@example.com',
    });
  });

  it('when a succeeded payment is updated, then description and metadata change as Stripe allows', async () => {
    const paid = await createPaidPayment(stack, merchant.testKey);
    const response = await update(`/v1/payments/${paid.id}`, {
      description: 'Refund on request',
      metadata: { order: '42' },
    });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ status: 'succeeded', metadata: { order: '42' } });
  });

  it('when an update names a field that cannot change (amount) or an unknown one, then 400 names it', async () => {
    const payment = await createPayment(stack, merchant.testKey);
    expectError(
      await update(`/v1/payments/${payment.id}`, { amount: 1 }),
      400,
      'parameter_unknown',
      'amount',
    );
  });

  it("when another project's key updates a payment, then 404 and it is unchanged", async () => {
    const other = await stack.registerMerchant('Dosa Express');
    const payment = await createPayment(stack, merchant.testKey, { metadata: { a: '1' } });
    expectError(
      await stack.call('POST', `/v1/payments/${payment.id}`, {
        as: other.testKey,
        body: { metadata: { a: '2' } },
      }),
      404,
      'resource_missing',
    );
    const read = await stack.call('GET', `/v1/payments/${payment.id}`, { as: merchant.testKey });
    expect(read.body.metadata).toEqual({ a: '1' });
  });
});
