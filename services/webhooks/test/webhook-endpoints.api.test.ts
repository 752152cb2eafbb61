import type { Principal } from '@expe/server-kit';
import { countRows } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  createEndpoint,
  expectError,
  fakeDns,
  newMerchant,
  queryRows,
  startTestService,
  type ApiClient,
  type TestService,
} from './support.js';

let service: TestService;
let call: ApiClient;

// Names the SSRF tests resolve; everything else is "not found".
const dns = fakeDns({
  'hooks.shop.test': ['93.184.216.34'],
  'localhost.expe.test': ['127.0.0.1'],
  'mixed.expe.test': ['93.184.216.34', '10.0.0.7'],
  'metadata.expe.test': ['169.254.169.254'],
  'mapped.expe.test': ['::ffff:127.0.0.1'],
  'v6-private.expe.test': ['fd12:3456::1'],
  'cgnat.expe.test': ['100.64.1.1'],
});

/**
 * A second service that resolves names with the system's DNS. It lives as long as the file's
 * main service: one started and stopped within a single test sometimes left a Redis command of
 * its young connections to reject unhandled ("Connection is closed") as it closed.
 */
let systemDnsService: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  [service, systemDnsService] = await Promise.all([
    startTestService('webhooks_endpoints', {}, { resolveHost: dns }),
    startTestService('webhooks_endpoints_dns'),
  ]);
  call = apiClient(service.url);
});

afterAll(async () => {
  await Promise.all([service.stop(), systemDnsService.stop()]);
});

const count = (table: 'endpoints' | 'endpoint_secrets', where = 'true') =>
  countRows(service.databaseUrl, `webhooks.${table}`, where);

/** An endpoint taking every event at `url`, made with the key `as`. */
const endpointAt = (as: Principal, url = 'https://hooks.shop.test/a') =>
  createEndpoint(call, as, { url, enabled_events: ['*'] });

describe('POST /v1/webhook_endpoints', () => {
  it('when a test key registers an endpoint, then it answers 201 with the secret shown once', async () => {
    const merchant = newMerchant();

    const response = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.test,
      body: {
        url: 'https://hooks.shop.test/expe',
        enabled_events: ['payment.succeeded', 'refund.succeeded', 'payment.succeeded'],
        description: ' Orders ',
      },
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      id: expect.stringMatching(/^we_[0-9a-z]{26}$/),
      object: 'webhook_endpoint',
      url: 'https://hooks.shop.test/expe',
      enabled_events: ['payment.succeeded', 'refund.succeeded'],
      description: 'Orders',
      status: 'enabled',
      livemode: false,
      format: 'expe',
      secret: expect.stringMatching(/^whsec_[0-9A-Za-z]{32}$/),
      created: expect.any(Number),
    });
    const fetched = await call('GET', `/v1/webhook_endpoints/${response.body.id}`, {
      as: merchant.test,
    });
    expect(fetched.body).not.toHaveProperty('secret');
  });

  it('when an endpoint is created, then its secret is stored encrypted, never in clear', async () => {
    const merchant = newMerchant();

    const endpoint = await endpointAt(merchant.test);

    const rows = await queryRows<{ ciphertext: string }>(
      service.databaseUrl,
      'select ciphertext from webhooks.endpoint_secrets where endpoint_id = $1',
      [endpoint.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ciphertext).toMatch(/^v1\./);
    expect(rows[0]!.ciphertext).not.toContain(endpoint.secret);
    expect(rows[0]!.ciphertext).not.toContain(endpoint.secret.slice('whsec_'.length));
  });

  it('when a live key registers a public https URL, then it is a live endpoint', async () => {
    const merchant = newMerchant();

    const endpoint = await endpointAt(merchant.live, 'https://hooks.shop.test/live');

    expect(endpoint.livemode).toBe(true);
  });

  it.each([
    ['no url', { enabled_events: ['*'] }, 'parameter_missing', 'url'],
    ['a url of the wrong type', { url: 42, enabled_events: ['*'] }, 'parameter_invalid', 'url'],
    ['a relative url', { url: '/hooks', enabled_events: ['*'] }, 'parameter_invalid', 'url'],
    [
      'an ftp url',
      { url: 'ftp://hooks.shop.test/', enabled_events: ['*'] },
      'parameter_invalid',
      'url',
    ],
    [
      'a too long url',
      { url: `https://hooks.shop.test/${'a'.repeat(2048)}`, enabled_events: ['*'] },
      'parameter_invalid',
      'url',
    ],
    [
      'no enabled_events',
      { url: 'https://hooks.shop.test/' },
      'parameter_missing',
      'enabled_events',
    ],
    [
      'empty enabled_events',
      { url: 'https://hooks.shop.test/', enabled_events: [] },
      'parameter_invalid',
      'enabled_events',
    ],
    [
      'an unknown event type',
      { url: 'https://hooks.shop.test/', enabled_events: ['payment.exploded'] },
      'parameter_invalid',
      'enabled_events[0]',
    ],
    [
      '"*" with other types',
      { url: 'https://hooks.shop.test/', enabled_events: ['*', 'refund.succeeded'] },
      'parameter_invalid',
      'enabled_events',
    ],
    [
      'enabled_events as a string',
      { url: 'https://hooks.shop.test/', enabled_events: '*' },
      'parameter_invalid',
      'enabled_events',
    ],
    [
      'a too long description',
      { url: 'https://hooks.shop.test/', enabled_events: ['*'], description: 'd'.repeat(501) },
      'parameter_invalid',
      'description',
    ],
    [
      'an unknown field',
      { url: 'https://hooks.shop.test/', enabled_events: ['*'], secret: 'whsec_mine' },
      'parameter_unknown',
      'secret',
    ],
  ])(
    'when the body has %s, then it is a 400 naming the field and nothing is written',
    async (_case, body, code, param) => {
      const merchant = newMerchant();

      const response = await call('POST', '/v1/webhook_endpoints', { as: merchant.test, body });

      expectError(response, 400, code, param);
      expect(await count('endpoints', `merchant_id = '${merchant.id}'`)).toBe(0);
    },
  );

  it('when the body is not JSON, then it is a 400 invalid_json', async () => {
    const merchant = newMerchant();

    const response = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.test,
      rawBody: '{"url": ',
    });

    expectError(response, 400, 'invalid_json');
    expect(await count('endpoints', `merchant_id = '${merchant.id}'`)).toBe(0);
  });

  it('when the caller has no API key, then it is 401; with a publishable key, 403', async () => {
    const merchant = newMerchant();
    const body = { url: 'https://hooks.shop.test/', enabled_events: ['*'] };

    const anonymous = await call('POST', '/v1/webhook_endpoints', {
      as: { kind: 'anonymous' },
      body,
    });
    const publishable = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.publishable,
      body,
    });

    expectError(anonymous, 401, 'authentication_required');
    expectError(publishable, 403, 'secret_key_required');
    expect(await count('endpoints', `merchant_id = '${merchant.id}'`)).toBe(0);
  });

  it('when a request comes without the gateway credential, then it is refused', async () => {
    const response = await call('GET', '/v1/webhook_endpoints', { as: null });

    expectError(response, 401, 'gateway_credential_required');
  });
});

describe('SSRF guard at registration', () => {
  it.each([
    ['an http:// URL', 'http://hooks.shop.test/expe', 'https'],
    ['https://127.0.0.1', 'https://127.0.0.1/expe', 'loopback'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data', 'metadata'],
    ['a private 10/8 address', 'https://10.1.2.3/expe', 'private'],
    ['a private 192.168/16 address', 'https://192.168.1.10/expe', 'private'],
    ['a private 172.16/12 address', 'https://172.20.0.1/expe', 'private'],
    ['IPv6 loopback', 'https://[::1]/expe', 'loopback'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/expe', 'loopback'],
    ['IPv6 link-local', 'https://[fe80::1]/expe', 'link-local'],
    ['the unspecified address', 'https://0.0.0.0/expe', 'unspecified'],
    ['a CGNAT address', 'https://100.64.0.1/expe', 'carrier-grade'],
    ['a multicast address', 'https://224.0.0.1/expe', 'multicast'],
    ['loopback written as a decimal number', 'https://2130706433/expe', 'loopback'],
    ['a name that resolves to loopback', 'https://localhost.expe.test/expe', 'loopback'],
    ['a name with one private address among public ones', 'https://mixed.expe.test/', 'private'],
    ['a name that resolves to the metadata address', 'https://metadata.expe.test/', 'metadata'],
    ['a name that resolves to IPv4-mapped loopback', 'https://mapped.expe.test/', 'loopback'],
    [
      'a name that resolves to a unique-local IPv6 address',
      'https://v6-private.expe.test/',
      'unique local',
    ],
  ])(
    'when a live endpoint uses %s, then it is a 400 on url and nothing is written',
    async (_case, url, reason) => {
      const merchant = newMerchant();

      const response = await call('POST', '/v1/webhook_endpoints', {
        as: merchant.live,
        body: { url, enabled_events: ['*'] },
      });

      expectError(response, 400, 'parameter_invalid', 'url');
      expect(response.body.error.message).toContain(reason);
      expect(await count('endpoints', `merchant_id = '${merchant.id}'`)).toBe(0);
    },
  );

  it('when a live endpoint uses the real name localhost, then it is refused (system DNS)', async () => {
    const merchant = newMerchant();

    const response = await apiClient(systemDnsService.url)('POST', '/v1/webhook_endpoints', {
      as: merchant.live,
      body: { url: 'https://localhost/expe', enabled_events: ['*'] },
    });

    expectError(response, 400, 'parameter_invalid', 'url');
    expect(response.body.error.message).toContain('loopback');
  });

  it('when a test endpoint uses loopback over http, then it is accepted (local development)', async () => {
    const merchant = newMerchant();

    for (const url of [
      'http://127.0.0.1:3000/hooks',
      'http://[::1]:3000/hooks',
      'https://localhost.expe.test/',
    ]) {
      const response = await call('POST', '/v1/webhook_endpoints', {
        as: merchant.test,
        body: { url, enabled_events: ['*'] },
      });
      expect(response.status).toBe(201);
    }
  });

  it.each([
    ['a private address', 'http://10.1.2.3/hooks'],
    ['the metadata address', 'http://169.254.169.254/'],
    ['a name that resolves to CGNAT space', 'http://cgnat.expe.test/'],
  ])('when a test endpoint uses %s, then it is still refused', async (_case, url) => {
    const merchant = newMerchant();

    const response = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.test,
      body: { url, enabled_events: ['*'] },
    });

    expectError(response, 400, 'parameter_invalid', 'url');
  });

  it('when an endpoint is updated to a refused URL, then it is a 400 and the URL is unchanged', async () => {
    const merchant = newMerchant();
    const endpoint = await endpointAt(merchant.live, 'https://hooks.shop.test/live');

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.live,
      body: { url: 'https://10.0.0.1/' },
    });

    expectError(response, 400, 'parameter_invalid', 'url');
    const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.live,
    });
    expect(fetched.body.url).toBe('https://hooks.shop.test/live');
  });
});

describe('GET /v1/webhook_endpoints', () => {
  it('when a merchant lists, then it gets its endpoints of that mode, newest first, in pages', async () => {
    const merchant = newMerchant();
    const created = [];
    for (let i = 0; i < 3; i++) {
      created.push(await endpointAt(merchant.test, `https://hooks.shop.test/${i}`));
    }
    await endpointAt(merchant.live, 'https://hooks.shop.test/live');
    await endpointAt(newMerchant().test, 'https://hooks.shop.test/other');

    const first = await call('GET', '/v1/webhook_endpoints?limit=2', { as: merchant.test });
    const second = await call(
      'GET',
      `/v1/webhook_endpoints?limit=2&starting_after=${first.body.data[1].id}`,
      { as: merchant.test },
    );
    const back = await call(
      'GET',
      `/v1/webhook_endpoints?limit=2&ending_before=${second.body.data[0].id}`,
      { as: merchant.test },
    );

    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    expect(first.body.data.map((e: any) => e.id)).toEqual([created[2]!.id, created[1]!.id]);
    expect(second.body.data.map((e: any) => e.id)).toEqual([created[0]!.id]);
    expect(second.body.has_more).toBe(false);
    expect(back.body.data.map((e: any) => e.id)).toEqual([created[2]!.id, created[1]!.id]);
    expect(first.body.data.every((e: any) => e.secret === undefined)).toBe(true);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['starting_after=pay_123', 'starting_after'],
    ['color=red', 'color'],
  ])('when the query has %s, then it is a 400 naming it', async (query, param) => {
    const merchant = newMerchant();

    const response = await call('GET', `/v1/webhook_endpoints?${query}`, { as: merchant.test });

    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe(param);
  });
});

describe('isolation', () => {
  it('when another merchant reads, updates, deletes or rotates an endpoint, then it is 404 and nothing changes', async () => {
    const owner = newMerchant();
    const intruder = newMerchant();
    const endpoint = await endpointAt(owner.test, 'https://hooks.shop.test/mine');
    const path = `/v1/webhook_endpoints/${endpoint.id}`;

    const responses = [
      await call('GET', path, { as: intruder.test }),
      await call('POST', path, { as: intruder.test, body: { url: 'https://hooks.shop.test/x' } }),
      await call('DELETE', path, { as: intruder.test }),
      await call('POST', `${path}/rotate_secret`, { as: intruder.test, body: {} }),
      await call('POST', `${path}/test`, { as: intruder.test }),
      await call('GET', `${path}/deliveries`, { as: intruder.test }),
      await call('POST', `${path}/redeliver`, {
        as: intruder.test,
        body: { event: 'evt_01kb3v4y7m9q2x8c5d6e7f8g9h' },
      }),
    ];

    for (const response of responses) expectError(response, 404, 'resource_missing', 'id');
    const fetched = await call('GET', path, { as: owner.test });
    expect(fetched.body).toMatchObject({ url: 'https://hooks.shop.test/mine', status: 'enabled' });
    expect(await count('endpoint_secrets', `endpoint_id = '${endpoint.id}'`)).toBe(1);
  });

  it('when a test key asks for a live endpoint of its own merchant, then it does not exist', async () => {
    const merchant = newMerchant();
    const live = await endpointAt(merchant.live, 'https://hooks.shop.test/live');

    const one = await call('GET', `/v1/webhook_endpoints/${live.id}`, { as: merchant.test });
    const list = await call('GET', '/v1/webhook_endpoints', { as: merchant.test });

    expectError(one, 404, 'resource_missing');
    expect(list.body.data).toEqual([]);
  });

  it('when the id is not a webhook endpoint id, then it is a 400 on id', async () => {
    const response = await call('GET', '/v1/webhook_endpoints/pay_123', { as: newMerchant().test });

    expectError(response, 400, 'parameter_invalid', 'id');
  });
});

describe('POST /v1/webhook_endpoints/:id', () => {
  it('when url, events and description change, then the endpoint shows them', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: 'https://hooks.shop.test/a',
      enabled_events: ['*'],
      description: 'first',
    });

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: {
        url: 'https://hooks.shop.test/b',
        enabled_events: ['refund.succeeded'],
        description: null,
      },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: endpoint.id,
      url: 'https://hooks.shop.test/b',
      enabled_events: ['refund.succeeded'],
      description: null,
      status: 'enabled',
    });
    expect(response.body).not.toHaveProperty('secret');
  });

  it('when disabled and enabled again, then the status follows', async () => {
    const merchant = newMerchant();
    const endpoint = await endpointAt(merchant.test);
    const path = `/v1/webhook_endpoints/${endpoint.id}`;

    const disabled = await call('POST', path, { as: merchant.test, body: { disabled: true } });
    const enabled = await call('POST', path, { as: merchant.test, body: { disabled: false } });

    expect(disabled.body.status).toBe('disabled');
    expect(enabled.body.status).toBe('enabled');
  });

  it.each([
    ['disabled as a string', { disabled: 'yes' }, 'disabled'],
    ['an unknown field', { status: 'disabled' }, 'status'],
    ['empty enabled_events', { enabled_events: [] }, 'enabled_events'],
  ])(
    'when the body has %s, then it is a 400 naming it and nothing changes',
    async (_case, body, param) => {
      const merchant = newMerchant();
      const endpoint = await endpointAt(merchant.test);

      const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
        as: merchant.test,
        body,
      });

      expect(response.status).toBe(400);
      expect(response.body.error.param).toBe(param);
      const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
        as: merchant.test,
      });
      expect(fetched.body).toMatchObject({ status: 'enabled', enabled_events: ['*'] });
    },
  );
});

describe('DELETE /v1/webhook_endpoints/:id', () => {
  it('when deleted, then it answers the deleted object and the endpoint is gone', async () => {
    const merchant = newMerchant();
    const endpoint = await endpointAt(merchant.test);

    const response = await call('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });
    const again = await call('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });

    expect(response.body).toEqual({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
    expectError(again, 404, 'resource_missing');
    const list = await call('GET', '/v1/webhook_endpoints', { as: merchant.test });
    expect(list.body.data).toEqual([]);
  });
});

describe('POST /v1/webhook_endpoints/:id/rotate_secret', () => {
  it('when rotated, then a new secret is shown once and the old one keeps an expiry', async () => {
    const merchant = newMerchant();
    const endpoint = await endpointAt(merchant.test);

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, {
      as: merchant.test,
      body: { expires_in: 3600 },
    });

    expect(response.status).toBe(200);
    expect(response.body.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    expect(response.body.secret).not.toBe(endpoint.secret);
    const rows = await queryRows<{ expires_in: number | null }>(
      service.databaseUrl,
      `select extract(epoch from expires_at - created_at)::int as expires_in
         from webhooks.endpoint_secrets where endpoint_id = $1 order by id`,
      [endpoint.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]!.expires_in).toBeNull();
    expect(
      await count('endpoint_secrets', `endpoint_id = '${endpoint.id}' and expires_at is null`),
    ).toBe(1);
  });

  it.each([
    ['a negative expires_in', { expires_in: -1 }],
    ['expires_in over 7 days', { expires_in: 7 * 24 * 3600 + 1 }],
    ['a fractional expires_in', { expires_in: 1.5 }],
    ['expires_in as a string', { expires_in: '60' }],
  ])(
    'when rotating with %s, then it is a 400 on expires_in and no secret is added',
    async (_case, body) => {
      const merchant = newMerchant();
      const endpoint = await endpointAt(merchant.test);

      const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, {
        as: merchant.test,
        body,
      });

      expectError(response, 400, 'parameter_invalid', 'expires_in');
      expect(await count('endpoint_secrets', `endpoint_id = '${endpoint.id}'`)).toBe(1);
    },
  );
});
