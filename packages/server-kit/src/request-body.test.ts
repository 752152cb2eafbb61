import { appErrorOf } from '@expe/testing';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from './error-middleware.js';
import { createLogger } from './logger.js';
import { checkBodyShape, readRequestBody } from './request-body.js';
import { listen, type RunningServer } from './serve.js';

const nested = (depth: number, leaf: unknown = 1): unknown =>
  JSON.parse('['.repeat(depth) + JSON.stringify(leaf) + ']'.repeat(depth));

describe('checkBodyShape', () => {
  it('when a body is 3,000 arrays deep, then it is 400 body_too_deep without overflowing the stack', () => {
    const error = appErrorOf(() => checkBodyShape(nested(3_000)));
    expect([error.httpStatus, error.code]).toEqual([400, 'body_too_deep']);
    expect(error.message).toContain('32');
  });

  it('when a body is 100,000 objects deep, then the walk still refuses it quickly', () => {
    const started = performance.now();
    const body = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    expect(appErrorOf(() => checkBodyShape(body)).code).toBe('body_too_deep');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('when a body is exactly at the depth limit, then it passes; one more level is refused', () => {
    expect(() => checkBodyShape(nested(32), { maxDepth: 32, maxNodes: 100 })).not.toThrow();
    expect(appErrorOf(() => checkBodyShape(nested(33), { maxDepth: 32, maxNodes: 100 })).code).toBe(
      'body_too_deep',
    );
  });

  it('when a body has more values than the node limit, then it is 400 body_too_complex', () => {
    const wide = Array.from({ length: 10_000 }, () => 0);
    const error = appErrorOf(() => checkBodyShape(wide));
    expect([error.httpStatus, error.code]).toEqual([400, 'body_too_complex']);
    expect(() => checkBodyShape(wide.slice(1))).not.toThrow();
  });

  it('when a string or a key holds NUL, then the 400 names its path in brackets', () => {
    expect(appErrorOf(() => checkBodyShape({ card: { number: 'a\u0000' } })).param).toBe(
      'card[number]',
    );
    expect(appErrorOf(() => checkBodyShape({ metadata: { 'k\u0000': 'v' } })).param).toBe(
      'metadata[k\u0000]',
    );
    expect(appErrorOf(() => checkBodyShape({ items: ['ok', 'b\u0000'] })).param).toBe('items[1]');
  });

  it('when two values are bad, then the first in document order is named', () => {
    const body = { a: { b: 'x\u0000' }, c: 'y\u0000' };
    expect(appErrorOf(() => checkBodyShape(body)).param).toBe('a[b]');
  });

  it('when any object holds a __proto__ key, then it is refused naming it instead of dropped', () => {
    const body = JSON.parse('{"metadata":{"__proto__":"x"}}') as unknown;
    const error = appErrorOf(() => checkBodyShape(body));
    expect([error.code, error.param]).toEqual(['parameter_invalid', 'metadata[__proto__]']);
  });

  it('when the body is an ordinary request, then it passes', () => {
    const body = { amount: 5_000, currency: 'inr', metadata: { order: '42' }, card: { cvc: '1' } };
    expect(() => checkBodyShape(body)).not.toThrow();
  });
});

describe('readRequestBody', () => {
  let server: RunningServer;
  const json = JSON.stringify({ hello: 'world' });
  const bomb = Buffer.alloc(5_000_000, 0x20);
  const logger = createLogger({ name: 'body-test', level: 'silent' });

  beforeAll(async () => {
    const app = express();
    app.post('/json', readRequestBody({ limit: '10kb', as: 'json' }), (req, res) => {
      res.json({ body: req.body as unknown });
    });
    app.post('/raw', readRequestBody({ limit: '10kb', as: 'raw' }), (req, res) => {
      res.json({ length: Buffer.isBuffer(req.body) ? req.body.length : null });
    });
    app.post('/form', readRequestBody({ limit: '10kb', as: 'form' }), (req, res) => {
      res.json({ body: req.body as unknown });
    });
    app.use(errorMiddleware(logger));
    server = await listen(app, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function send(path: string, encoding: string | undefined, body: Buffer | string) {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(encoding ? { 'content-encoding': encoding } : {}),
      },
      body,
    });
    const answer = (await response.json()) as {
      body?: unknown;
      length?: number;
      error?: { code: string; param?: string };
    };
    return { status: response.status, ...answer };
  }

  /** A form body, as the Stripe-compatible listener reads it. */
  async function sendForm(encoding: string | undefined, body: Buffer | string) {
    const response = await fetch(`${server.url}/form`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(encoding ? { 'content-encoding': encoding } : {}),
      },
      body,
    });
    const answer = (await response.json()) as {
      body?: unknown;
      error?: { code: string; param?: string };
    };
    return { status: response.status, ...answer };
  }

  it('when a form body arrives, then it is decoded and read in bracket notation and walked like JSON: a NUL names its parameter, empty gzip members past the limit are 413, an unknown coding 415', async () => {
    const form = 'amount=100&metadata[order]=42';
    for (const [encoding, body] of [
      [undefined, form],
      ['gzip', gzipSync(form)],
    ] as const) {
      expect(await sendForm(encoding, body), String(encoding)).toMatchObject({
        status: 200,
        body: { amount: '100', metadata: { order: '42' } },
      });
    }
    expect(await sendForm(undefined, 'metadata[order]=a%00b')).toMatchObject({
      status: 400,
      error: { param: 'metadata[order]' },
    });
    const members = Buffer.concat([
      ...Array.from({ length: 1_000 }, () => gzipSync('')),
      gzipSync(form),
    ]);
    expect((await sendForm('gzip', members)).error?.code).toBe('request_too_large');
    expect(await sendForm('zstd', form)).toMatchObject({
      status: 415,
      error: { code: 'unsupported_content_encoding', param: 'Content-Encoding' },
    });
  });

  const decodable: [string, Buffer | string][] = [
    ['identity', json],
    ['gzip', gzipSync(json)],
    ['Gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
  ];
  it.each(decodable)(
    'when the body is sent as %s, then both readers decode it',
    async (encoding, body) => {
      expect(await send('/json', encoding, body)).toMatchObject({
        status: 200,
        body: { hello: 'world' },
      });
      expect(await send('/raw', encoding, body)).toMatchObject({
        status: 200,
        length: json.length,
      });
    },
  );

  const lies: [string, Buffer | string][] = [
    ['br', json],
    ['gzip', json],
    ['deflate', json],
    ['gzip', gzipSync(json).subarray(0, 10)],
    ['br', brotliCompressSync(json).subarray(0, 3)],
    ['br', Buffer.alloc(0)],
  ];
  it.each(lies)(
    'when a %s body is not in that coding, then 400 naming Content-Encoding',
    async (encoding, body) => {
      for (const path of ['/json', '/raw']) {
        const answer = await send(path, encoding, body);
        expect([answer.status, answer.error?.param], path).toEqual([400, 'Content-Encoding']);
      }
    },
  );

  it.each([
    ['gzip', gzipSync(bomb)],
    ['deflate', deflateSync(bomb)],
    ['br', brotliCompressSync(bomb)],
  ])('when a %s body inflates past the limit, then 413 request_too_large', async (enc, body) => {
    for (const path of ['/json', '/raw']) {
      const answer = await send(path, enc, body);
      expect([answer.status, answer.error?.code], path).toEqual([413, 'request_too_large']);
    }
  });

  it('when a gzip body of empty members is larger than the limit but decodes to little, then 413 before it is all read', async () => {
    const empty = gzipSync('');
    const members = Buffer.concat([...Array.from({ length: 1_000 }, () => empty), gzipSync(json)]);
    for (const path of ['/json', '/raw']) {
      const answer = await send(path, 'gzip', members);
      expect([answer.status, answer.error?.code], path).toEqual([413, 'request_too_large']);
    }
    // The same without a Content-Length (chunked): counted as it arrives.
    const response = await fetch(`${server.url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: new Blob([members]).stream(),
      duplex: 'half',
    });
    expect(response.status).toBe(413);
  });

  it.each(['zstd', 'compress', 'x-gzip', 'gzip, br', 'gzip, gzip', '*', 'identity, gzip'])(
    'when the coding is %j, then 415 unsupported_content_encoding naming the header',
    async (encoding) => {
      for (const path of ['/json', '/raw']) {
        const answer = await send(path, encoding, json);
        expect([answer.status, answer.error?.code, answer.error?.param], path).toEqual([
          415,
          'unsupported_content_encoding',
          'Content-Encoding',
        ]);
      }
    },
  );

  it('when a JSON body is 3,000 deep, then 400 body_too_deep; the raw reader leaves shape to the service', async () => {
    const deep = '['.repeat(3_000) + ']'.repeat(3_000);
    expect(await send('/json', undefined, deep)).toMatchObject({
      status: 400,
      error: { code: 'body_too_deep' },
    });
    expect(await send('/raw', undefined, deep)).toMatchObject({ status: 200, length: 6_000 });
  });
});
