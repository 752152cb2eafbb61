import { readFileSync } from 'node:fs';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
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

  it('when the encoding is unknown, then 415 unsupported_content_encoding naming the header', async () => {
    const response = await t.api('POST', '/v1/auth/register', {
      rawBody: '{}',
      headers: { 'content-type': 'application/json', 'content-encoding': 'zstd-nonsense' },
    });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_content_encoding');
    expect(response.body.error.param).toBe('Content-Encoding');
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

// Issue 21: request bodies as a class. Every Content-Encoding a client may send, to a public and
// an authenticated route: decoded within the body limit, refused with 415, or a 400 when the
// bytes are not what the header says. Never a 500.
describe('every Content-Encoding', () => {
  const json = JSON.stringify({ email: 'nobody@example.com', password: 'wrong password here' });
  const bomb = Buffer.alloc(20_000_000, 0x20);
  const cases: { name: string; encoding: string; body: Buffer; status: number; code?: string }[] = [
    { name: 'identity', encoding: 'identity', body: Buffer.from(json), status: 401 },
    { name: 'gzip', encoding: 'gzip', body: gzipSync(json), status: 401 },
    { name: 'GZIP in capitals', encoding: 'GZIP', body: gzipSync(json), status: 401 },
    { name: 'deflate', encoding: 'deflate', body: deflateSync(json), status: 401 },
    { name: 'br', encoding: 'br', body: brotliCompressSync(json), status: 401 },
    { name: 'br that is not br', encoding: 'br', body: Buffer.from(json), status: 400 },
    { name: 'deflate that is not', encoding: 'deflate', body: Buffer.from(json), status: 400 },
    { name: 'truncated gzip', encoding: 'gzip', body: gzipSync(json).subarray(0, 12), status: 400 },
    { name: 'empty br', encoding: 'br', body: Buffer.alloc(0), status: 400 },
    { name: 'gzip bomb', encoding: 'gzip', body: gzipSync(bomb), status: 413 },
    { name: 'br bomb', encoding: 'br', body: brotliCompressSync(bomb), status: 413 },
    { name: 'deflate bomb', encoding: 'deflate', body: deflateSync(bomb), status: 413 },
    // 120 kB received that decode to nothing: the limit counts what comes in too.
    {
      name: 'empty gzip members',
      encoding: 'gzip',
      body: Buffer.concat(Array.from({ length: 6_000 }, () => gzipSync(''))),
      status: 413,
    },
    ...['zstd', 'compress', 'x-gzip', 'gzip, br', 'gzip, gzip', 'identity, gzip', '*', 'ébr'].map(
      (encoding) => ({
        name: encoding,
        encoding,
        body: Buffer.from(json),
        status: 415,
        code: 'unsupported_content_encoding',
      }),
    ),
  ];

  it('when a body comes in any encoding, then it is decoded within the limit or refused with a 4xx naming Content-Encoding, never a 500', async () => {
    const merchant = await onboardMerchant(t, 'encodings');
    const failures: string[] = [];
    for (const target of [
      { path: '/v1/auth/login', token: undefined },
      { path: '/v1/payments', token: merchant.key.secret },
    ]) {
      for (const c of cases) {
        const response = await fetch(`${t.url}${target.path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-encoding': c.encoding,
            ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
          },
          body: c.body,
        });
        const body = (await response.json()) as { error?: { code: string; param?: string } };
        // The login answers 401 (unknown user), payments 400 (the login's fields are unknown there).
        const expected = c.status === 401 && target.token ? 400 : c.status;
        const label = `${target.path} ${c.name}: ${response.status} ${JSON.stringify(body)}`;
        if (response.status !== expected) failures.push(label);
        else if (c.code && body.error?.code !== c.code) failures.push(label);
        else if (expected === 415 || (expected === 400 && !target.token && c.status === 400)) {
          if (body.error?.param !== 'Content-Encoding') failures.push(label);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('a deeply nested body', () => {
  type Json = Record<string, any>;
  const document = JSON.parse(
    readFileSync(new URL('../packages/contracts/openapi.json', import.meta.url), 'utf8'),
  ) as Json;
  const writes = Object.entries(document.paths as Json).flatMap(([path, methods]) =>
    Object.entries(methods as Json)
      .filter(([method]) => ['post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]: [string, Json]) => ({
        method: method.toUpperCase(),
        path: path.replaceAll(/\{[^}]+\}/g, 'x_1'),
        security: JSON.stringify(op.security ?? []),
      })),
  );
  const deepArrays = '['.repeat(3_000) + ']'.repeat(3_000);
  const deepObjects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const wide = `[${'0,'.repeat(30_000)}0]`;

  it('when every write operation of openapi.json gets a 3,000-deep body, with and without credentials, then 400 body_too_deep and nothing is written', async () => {
    const merchant = await onboardMerchant(t, 'deep');
    const before = await rowCounts();
    const failures: string[] = [];
    for (const op of writes) {
      const token = op.security.includes('secretKey')
        ? merchant.key.secret
        : op.security.includes('userAuth')
          ? merchant.token
          : undefined;
      for (const [what, rawBody, code] of [
        ['arrays', deepArrays, 'body_too_deep'],
        ['objects', deepObjects, 'body_too_deep'],
        ['30,001 numbers', wide, 'body_too_complex'],
      ] as const) {
        // Every body anonymously; the deepest also with the operation's credential.
        const credentials = token && what === 'arrays' ? [undefined, token] : [undefined];
        for (const credential of credentials) {
          const response = await t.api(op.method, op.path, {
            token: credential,
            rawBody,
            headers: { 'content-type': 'application/json' },
          });
          const label = `${op.method} ${op.path} ${what} ${credential ? 'authenticated' : 'anonymous'}`;
          // Without credentials a route that needs them may refuse first; never a 5xx.
          const isAllowedRefusal = !credential && token && response.status === 401;
          if (isAllowedRefusal) continue;
          if (response.status !== 400 || response.body?.error?.code !== code) {
            failures.push(`${label} → ${response.status} ${response.text.slice(0, 120)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  }, 120_000);
});

describe('prototype keys in metadata', () => {
  it('when metadata has a __proto__, constructor or prototype key, then 400 naming metadata[key] and nothing is written', async () => {
    const merchant = await onboardMerchant(t, 'proto');
    const before = await rowCounts();
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const response = await t.api('POST', '/v1/payments', {
        token: merchant.key.secret,
        rawBody: `{"amount":1000,"currency":"inr","metadata":{"${key}":"x","order":"1"}}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(response.status, key).toBe(400);
      expect(response.body.error.code, key).toBe('parameter_invalid');
      expect(response.body.error.param, key).toBe(`metadata[${key}]`);
    }
    expect(await rowCounts()).toEqual(before);
  });
});
