import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  uniqueEmail,
  type TestPlatform,
} from './support/test-platform.js';

// Bad input that used to reach PostgreSQL or the decompressor and come back as a 500 (issue 11,
// finding 3). Each refusal is a 400 naming the field, and no table of any service changes.

let t: TestPlatform;
let db: pg.Client;
beforeAll(async () => {
  t = await startTestPlatform();
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.close();
});

/**
 * Row count of every table of every service schema, except the webhooks service's copy of the
 * events, which it takes in the background from accepted requests made earlier (a refused request
 * writes no event: `payments.events` is counted).
 */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    `select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables
      where schemaname in ('auth', 'merchants', 'payments', 'webhooks')
        and (schemaname, relname) <> ('webhooks', 'events') order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await db.query<{ n: string }>(`select count(*)::text as n from ${name}`);
    counts[name] = Number(result.rows[0]?.n);
  }
  return counts;
}

const nul = 'a\u0000b';

describe('a NUL character in a string field', () => {
  it('when any string field holds \\u0000, then 400 parameter_invalid naming the field and no row anywhere changes', async () => {
    const merchant = await onboardMerchant(t, 'nul');
    const payer = await t.api('POST', '/v1/auth/register', {
      body: { email: uniqueEmail('nul-payer'), password: 'correct horse battery', name: 'Payer' },
    });
    expect(payer.status).toBe(201);
    const payerToken = payer.body.access_token as string;
    expect(
      (await t.api('POST', '/v1/wallet/topup', { token: payerToken, body: { amount: 10_000 } }))
        .status,
    ).toBe(201);
    const payment = await t.api('POST', '/v1/payments', {
      token: merchant.key.secret,
      body: { amount: 5_000, currency: 'inr' },
    });
    expect(payment.status).toBe(201);
    const paid = await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
      body: {
        client_secret: payment.body.client_secret,
        method: 'card',
        card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
      },
    });
    expect(paid.status).toBe(200);
    const secret = merchant.key.secret;

    const cases: { path: string; token?: string; body: unknown; param: string }[] = [
      {
        path: '/v1/auth/register',
        body: { email: uniqueEmail('nul'), password: 'correct horse battery', name: nul },
        param: 'name',
      },
      { path: '/v1/projects', token: merchant.token, body: { name: nul }, param: 'name' },
      {
        path: '/v1/payments',
        token: secret,
        body: { amount: 100, currency: 'inr', description: nul },
        param: 'description',
      },
      {
        path: '/v1/payments',
        token: secret,
        body: { amount: 100, currency: 'inr', metadata: { order: nul } },
        param: 'metadata[order]',
      },
      {
        path: '/v1/payments',
        token: secret,
        body: { amount: 100, currency: 'inr', metadata: { [nul]: 'x' } },
        param: `metadata[${nul}]`,
      },
      {
        path: '/v1/payments',
        token: secret,
        body: { amount: 100, currency: 'inr', return_url: `https://shop.example/${nul}` },
        param: 'return_url',
      },
      {
        path: '/v1/refunds',
        token: secret,
        body: { payment: payment.body.id, amount: 100, metadata: { why: nul } },
        param: 'metadata[why]',
      },
      {
        path: '/v1/webhook_endpoints',
        token: secret,
        body: { url: 'http://127.0.0.1:9/hook', enabled_events: ['*'], description: nul },
        param: 'description',
      },
      {
        path: '/v1/wallet/transfers',
        token: payerToken,
        body: { to: merchant.email, amount: 100, note: nul },
        param: 'note',
      },
    ];
    for (const { path, token, body, param } of cases) {
      const before = await rowCounts();
      const response = await t.api('POST', path, {
        ...(token ? { token } : {}),
        body,
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      expect(response.status, `${path} ${param}`).toBe(400);
      expect(response.body.error.code, `${path} ${param}`).toBe('parameter_invalid');
      expect(response.body.error.param, path).toBe(param);
      expect(await rowCounts(), `${path} ${param}`).toEqual(before);
    }
  });
});

describe('a body whose Content-Encoding lies', () => {
  it('when Content-Encoding is gzip but the body is not, then 400 and nothing is written', async () => {
    const before = await rowCounts();
    const response = await t.api('POST', '/v1/auth/register', {
      rawBody: JSON.stringify({ email: uniqueEmail('gz'), password: 'correct horse battery' }),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('invalid_request_error');
    expect(await rowCounts()).toEqual(before);
  });

  it('when the encoding is unknown, then 400', async () => {
    const response = await t.api('POST', '/v1/auth/register', {
      rawBody: '{}',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-nonsense' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('parameter_invalid');
  });

  it('when the body really is gzip, then it is accepted', async () => {
    const email = uniqueEmail('gz-ok');
    const response = await fetch(`${t.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ email, password: 'correct horse battery', name: 'Gz' })),
    });
    expect(response.status).toBe(201);
  });
});
