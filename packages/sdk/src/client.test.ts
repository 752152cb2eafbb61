import { describe, expect, it } from 'vitest';
import { createExpeClient, ExpeApiError } from './client.js';

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A stand-in for the gateway: records each request and answers with the given response. */
function fakeFetch(status: number, payload: unknown, recorded: Recorded[]): typeof fetch {
  return (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    recorded.push({
      method: init?.method ?? 'GET',
      url: input instanceof Request ? input.url : input.toString(),
      headers: init?.headers as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return Promise.resolve(
      new Response(JSON.stringify(payload), {
        status,
        headers: { 'content-type': 'application/json', 'request-id': 'req_fake' },
      }),
    );
  };
}

describe('createExpeClient', () => {
  it('when events are listed with filters, then the query uses Stripe-style brackets', async () => {
    const recorded: Recorded[] = [];
    const list = { object: 'list', data: [], has_more: false };
    const client = createExpeClient({
      apiKey: 'sk_test_abc',
      baseUrl: 'http://gateway.test:4000',
      fetch: fakeFetch(200, list, recorded),
    });

    const page = await client.events.list({
      type: 'payment.succeeded',
      created: { gte: 100, lte: 200 },
      limit: 5,
    });

    expect(page).toEqual(list);
    const url = new URL(recorded[0]!.url);
    expect(url.pathname).toBe('/v1/events');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      type: 'payment.succeeded',
      'created[gte]': '100',
      'created[lte]': '200',
      limit: '5',
    });
    expect(recorded[0]!.headers.authorization).toBe('Bearer sk_test_abc');
  });

  it('when a list filter is a list (events by types), then each value is sent as types[]', async () => {
    const recorded: Recorded[] = [];
    const client = createExpeClient({
      apiKey: 'sk_test_abc',
      baseUrl: 'http://gateway.test:4000',
      fetch: fakeFetch(200, { object: 'list', data: [], has_more: false }, recorded),
    });

    await client.events.list({ types: ['payment.succeeded', 'refund.*'] });
    await client.payments.list({ customer: 'cus_0123456789abcdef' });

    const events = new URL(recorded[0]!.url);
    expect(events.searchParams.getAll('types[]')).toEqual(['payment.succeeded', 'refund.*']);
    expect(new URL(recorded[1]!.url).searchParams.get('customer')).toBe('cus_0123456789abcdef');
  });

  it('when a payment, a refund or a payout is updated, then it is a POST to the object with the changes', async () => {
    const recorded: Recorded[] = [];
    const client = createExpeClient({
      apiKey: 'sk_test_abc',
      baseUrl: 'http://gateway.test:4000',
      fetch: fakeFetch(200, { id: 'pay_0123456789abcdef' }, recorded),
    });

    await client.payments.update('pay_0123456789abcdef', { metadata: { order: '' } });
    await client.refunds.update('re_0123456789abcdef', { metadata: { reason: 'late' } });
    await client.payouts.update('po_0123456789abcdef', { metadata: { batch: '7' } });

    expect(recorded.map((r) => [r.method, new URL(r.url).pathname, r.body])).toEqual([
      ['POST', '/v1/payments/pay_0123456789abcdef', { metadata: { order: '' } }],
      ['POST', '/v1/refunds/re_0123456789abcdef', { metadata: { reason: 'late' } }],
      ['POST', '/v1/payouts/po_0123456789abcdef', { metadata: { batch: '7' } }],
    ]);
  });

  it('when a POST has an idempotency key, then it is sent as Idempotency-Key', async () => {
    const recorded: Recorded[] = [];
    const client = createExpeClient({
      apiKey: 'sk_test_abc',
      baseUrl: 'http://gateway.test:4000',
      fetch: fakeFetch(201, { id: 'we_1' }, recorded),
    });

    await client.webhookEndpoints.create(
      { url: 'https://shop.example/hooks', enabled_events: ['*'] },
      { idempotencyKey: 'create-1' },
    );

    expect(recorded[0]).toMatchObject({
      method: 'POST',
      url: 'http://gateway.test:4000/v1/webhook_endpoints',
      body: { url: 'https://shop.example/hooks', enabled_events: ['*'] },
    });
    expect(recorded[0]!.headers['idempotency-key']).toBe('create-1');
  });

  it('when the API answers an error object, then it throws ExpeApiError with its fields', async () => {
    const client = createExpeClient({
      apiKey: 'sk_test_abc',
      baseUrl: 'http://gateway.test:4000',
      fetch: fakeFetch(
        404,
        {
          error: {
            type: 'invalid_request_error',
            code: 'resource_missing',
            message: "No such event: 'evt_x'",
            param: 'id',
            request_id: 'req_1',
          },
        },
        [],
      ),
    });

    const error = await client.events.retrieve('evt_x').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ExpeApiError);
    expect(error).toMatchObject({
      status: 404,
      code: 'resource_missing',
      type: 'invalid_request_error',
      param: 'id',
      requestId: 'req_1',
    });
  });
});
