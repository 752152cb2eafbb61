import { describe, expect, it } from 'vitest';
import { createPayment, expectError, stackPerFile, type TestMerchant } from './support.js';

const stack = stackPerFile('list-filters');

const list = async (merchant: TestMerchant, path: string) => {
  const response = await stack.call('GET', path, { as: merchant.testKey });
  expect(response.status, response.text).toBe(200);
  return response.body as { data: any[]; has_more: boolean };
};

const newCustomer = async (merchant: TestMerchant) => {
  const response = await stack.call('POST', '/v1/customers', { as: merchant.testKey, body: {} });
  expect(response.status, response.text).toBe(201);
  return response.body.id as string;
};

/** Walks every page with `limit`, the filter kept in each page's query. */
const allPages = async (merchant: TestMerchant, path: string, limit: number) => {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const cursor = after ? `&starting_after=${after}` : '';
    const page = await list(merchant, `${path}&limit=${limit}${cursor}`);
    expect(page.data.length).toBeLessThanOrEqual(limit);
    ids.push(...page.data.map((object) => object.id));
    if (!page.has_more) return { ids };
    after = ids.at(-1);
  }
};

describe('GET /v1/payments?customer=', () => {
  it("when payments are listed by customer, then only that customer's are listed, on every page", async () => {
    const merchant = await stack.registerMerchant('Chai Point');
    const asha = await newCustomer(merchant);
    const ravi = await newCustomer(merchant);
    const ashas = [];
    for (let i = 0; i < 3; i++)
      ashas.push((await createPayment(stack, merchant.testKey, { customer: asha })).id);
    await createPayment(stack, merchant.testKey, { customer: ravi });
    await createPayment(stack, merchant.testKey);

    const { ids } = await allPages(merchant, `/v1/payments?customer=${asha}`, 2);

    expect(ids).toEqual([...ashas].reverse());
  });

  it("when the customer is another project's or unknown, then the list is empty; a malformed id is 400 naming customer", async () => {
    const merchant = await stack.registerMerchant('Chai Point');
    const other = await stack.registerMerchant('Dosa Express');
    const theirs = await newCustomer(other);
    await createPayment(stack, other.testKey, { customer: theirs });

    expect((await list(merchant, `/v1/payments?customer=${theirs}`)).data).toEqual([]);
    expectError(
      await stack.call('GET', '/v1/payments?customer=pay_123', { as: merchant.testKey }),
      400,
      'parameter_invalid',
      'customer',
    );
  });
});

describe('GET /v1/events?types[]=', () => {
  it('when events are listed by several types, then only those types are listed, on every page', async () => {
    const merchant = await stack.registerMerchant('Chai Point');
    const first = await newCustomer(merchant);
    const second = await newCustomer(merchant);
    await stack.call('POST', `/v1/customers/${first}`, {
      as: merchant.testKey,
      body: { name: 'Asha' },
    });
    expect(
      (await stack.call('DELETE', `/v1/customers/${second}`, { as: merchant.testKey })).status,
    ).toBe(200);

    const { ids } = await allPages(
      merchant,
      '/v1/events?types[]=customer.created&types[]=customer.deleted',
      1,
    );
    const types = await Promise.all(
      ids.map(
        async (id) =>
          (await stack.call('GET', `/v1/events/${id}`, { as: merchant.testKey })).body.type,
      ),
    );
    expect(types).toEqual(['customer.deleted', 'customer.created', 'customer.created']);
    const indexed = await list(merchant, '/v1/events?types[0]=customer.updated&limit=100');
    expect(indexed.data.map((event) => event.type)).toEqual(['customer.updated']);
    const single = await list(merchant, '/v1/events?type=customer.deleted&limit=100');
    expect(single.data.map((event) => event.type)).toEqual(['customer.deleted']);
  });

  it('when types is bad, or given with type, then 400 names it', async () => {
    const merchant = await stack.registerMerchant('Chai Point');
    const call = (query: string) =>
      stack.call('GET', `/v1/events?${query}`, { as: merchant.testKey });
    expectError(await call('types[]=Not A Type'), 400, 'parameter_invalid', 'types[0]');
    expectError(
      await call('type=customer.created&types[]=customer.deleted'),
      400,
      'parameter_invalid',
      'types',
    );
    const tooMany = Array.from(
      { length: 21 },
      (_, i) => `types[]=customer.t${String.fromCharCode(97 + i)}`,
    ).join('&');
    expectError(await call(tooMany), 400, 'parameter_invalid', 'types');
  });
});
