import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { AppError } from './errors.js';
import { idempotencyKeysTable } from './idempotency-table.js';
import { gatewayForwards, identityHeader, signIdentity, type Principal } from './identity.js';
import { createLogger } from './logger.js';
import {
  builtServicePosts,
  internalRoutesReason,
  postRoute,
  postRouteWithoutIdempotency,
  postRoutesOf,
} from './route-kit.js';
import { listen, type RunningServer } from './serve.js';
import { createServiceApp } from './service-app.js';
import { getTableConfig } from 'drizzle-orm/pg-core';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const handle = openDatabase({ url, maxConnections: 4 });
const schema = `kit_routes_${randomBytes(4).toString('hex')}`;
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const logger = createLogger({ name: 'route-kit-test', level: 'silent' });

function appWith(routes: express.Router): Express {
  return createServiceApp({
    name: 'route-kit-test',
    logger,
    identity: {
      audience: 'route-kit-test',
      issuers: { gateway: { publicKey: keys.publicKey, forwards: gatewayForwards } },
    },
    checks: {},
    routes,
    idempotency: { db: handle.db, store: { schema }, ttlSeconds: 60 },
  });
}

let server: RunningServer;
let notes: string[] = [];

beforeAll(async () => {
  // The table as the kit's factory defines it: the same DDL every service migrated.
  await handle.db.execute(sql`create schema ${sql.identifier(schema)}`);
  await handle.db.execute(
    sql.raw(`create table "${schema}".idempotency_keys (
      scope text not null, key text not null, request_hash text not null,
      response_status integer not null, response_body text not null,
      created_at timestamptz not null default now(), expires_at timestamptz not null,
      constraint idempotency_keys_pkey primary key (scope, key),
      constraint idempotency_keys_key_length check (char_length(key) between 1 and 255))`),
  );
  await handle.db.execute(sql.raw(`create table "${schema}".notes (text text not null)`));
  const routes = express.Router();
  postRoute(routes, '/v1/notes', {
    parse: (req) => {
      const text = (req.body as { text?: unknown }).text;
      if (typeof text !== 'string')
        throw AppError.of('parameter_missing', 'text', { param: 'text' });
      return text;
    },
    headers: { 'Cache-Control': 'no-store' },
    run: async (tx, text) => {
      if (text === 'refuse') throw AppError.of('parameter_invalid', 'refused', { param: 'text' });
      await tx.execute(sql`insert into ${sql.identifier(schema)}.notes values (${text})`);
      return { status: 201, body: { text }, onCommit: () => void notes.push(text) };
    },
  });
  postRouteWithoutIdempotency(routes, '/v1/login', 'answers with a credential', (_req, res) => {
    res.json({ token: randomUUID() });
  });
  // What Express itself sends for the same answer, to compare the kit's `sendAnswer` with.
  postRouteWithoutIdempotency(routes, '/v1/express-notes', 'a comparison', (req, res) => {
    const text = (req.body as { text?: unknown }).text;
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).type('application/json').send(JSON.stringify({ text }));
  });
  server = await listen(appWith(routes), { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await handle.db.execute(sql`drop schema if exists ${sql.identifier(schema)} cascade`);
  await handle.close();
});

const user: Principal = {
  kind: 'user',
  userId: 'usr_1',
  role: 'merchant',
  email: 'm@example.com',
  sessionId: 's',
};

async function post(path: string, body: unknown, key?: string) {
  const identity = signIdentity({ issuer: 'gateway', privateKey: keys.privateKey }, user, {
    audience: 'route-kit-test',
  });
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [identityHeader]: identity,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function noteCount(text: string): Promise<number> {
  const result: unknown = await handle.db.execute(
    sql`select count(*)::int as n from ${sql.identifier(schema)}.notes where text = ${text}`,
  );
  return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

describe('postRoute: idempotency mounted by createServiceApp', () => {
  it('when a POST is retried with its key, then the effect ran once and the first answer is replayed byte for byte, headers included', async () => {
    notes = [];
    const key = randomUUID();
    const first = await post('/v1/notes', { text: 'one' }, key);
    const again = await post('/v1/notes', { text: 'one' }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.text).toBe(first.text);
    expect(await noteCount('one')).toBe(1);
    expect(notes).toEqual(['one']);
  });

  it('when an answer is sent, then its status, headers and bytes are what Express would send', async () => {
    const withoutPerRequest = (headers: Headers) =>
      [...headers].filter(
        ([name]) => !['date', 'request-id', 'idempotent-replayed'].includes(name),
      );
    for (const text of ['plain', 'ünïcödé ₹ 🙂']) {
      const key = randomUUID();
      const kit = await post('/v1/notes', { text }, key);
      const replay = await post('/v1/notes', { text }, key);
      const express = await post('/v1/express-notes', { text });
      expect(kit.status).toBe(express.status);
      expect(kit.text).toBe(express.text);
      expect(withoutPerRequest(kit.headers)).toEqual(withoutPerRequest(express.headers));
      expect(withoutPerRequest(replay.headers)).toEqual(withoutPerRequest(express.headers));
      expect(kit.headers.get('etag')).toMatch(/^W\/"/);
    }
  });

  it('when the same key comes with another body, then 422 idempotency_key_reused and nothing is written', async () => {
    const key = randomUUID();
    await post('/v1/notes', { text: 'two' }, key);
    const reused = await post('/v1/notes', { text: 'three' }, key);
    expect(reused.status).toBe(422);
    expect(JSON.parse(reused.text).error.code).toBe('idempotency_key_reused');
    expect(await noteCount('three')).toBe(0);
  });

  it('when the use case refuses, then the refusal is stored under the key and replayed; a request refused while parsing leaves no answer', async () => {
    const key = randomUUID();
    const refused = await post('/v1/notes', { text: 'refuse' }, key);
    const replayed = await post('/v1/notes', { text: 'refuse' }, key);
    expect(refused.status).toBe(400);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.text).toBe(refused.text);

    const parseKey = randomUUID();
    expect((await post('/v1/notes', {}, parseKey)).status).toBe(400);
    const fixed = await post('/v1/notes', { text: 'four' }, parseKey);
    expect(fixed.status).toBe(201);
  });

  it('when the Idempotency-Key is too long, then 400 naming it, on an opted-out POST too', async () => {
    const long = 'k'.repeat(256);
    for (const path of ['/v1/notes', '/v1/login']) {
      const answer = await post(path, { text: 'five' }, long);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error.param).toBe('Idempotency-Key');
    }
    expect(await noteCount('five')).toBe(0);
  });

  it('when an opted-out POST is retried with a key, then it runs again and nothing is stored', async () => {
    const key = randomUUID();
    const first = await post('/v1/login', {}, key);
    const again = await post('/v1/login', {}, key);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.text).not.toBe(first.text);
  });
});

describe('every POST covered', () => {
  it('when a service mounts a hand-written POST, then createServiceApp refuses to build, naming it', () => {
    const routes = express.Router();
    routes.post('/v1/sneaky', (_req, res) => void res.json({}));
    expect(() => appWith(routes)).toThrow(/POST \/v1\/sneaky mounted without idempotency/);
  });

  it('when routes are nested routers, then postRoutesOf finds every POST with its coverage; /internal/ is opted out by the kit', () => {
    const inner = express.Router();
    postRoute(inner, '/v1/a', {
      parse: () => 1,
      run: () => Promise.resolve({ status: 200, body: {} }),
    });
    postRouteWithoutIdempotency(inner, '/v1/b', 'a credential', (_req, res) => void res.json({}));
    inner.post('/internal/c', (_req, res) => void res.json({}));
    inner.get('/v1/d', (_req, res) => void res.json({}));
    const outer = express.Router();
    outer.use(inner);
    outer.all('/v1/e', (_req, res) => void res.json({}));
    const app = express();
    app.use(outer);
    expect(postRoutesOf(app)).toEqual([
      { path: '/v1/a', coverage: { kind: 'idempotent' } },
      { path: '/v1/b', coverage: { kind: 'opted_out', reason: 'a credential' } },
      { path: '/internal/c', coverage: { kind: 'opted_out', reason: internalRoutesReason } },
      { path: '/v1/e', coverage: { kind: 'uncovered' } },
    ]);
  });

  it('when a service has idempotent POSTs but names no store, then createServiceApp refuses to build', () => {
    const routes = express.Router();
    postRoute(routes, '/v1/a', {
      parse: () => 1,
      run: () => Promise.resolve({ status: 200, body: {} }),
    });
    expect(() =>
      createServiceApp({
        name: 'no-store',
        logger,
        identity: { audience: 'no-store', issuers: {} },
        checks: {},
        routes,
      }),
    ).toThrow(/no idempotency store/);
  });

  it('when an opt-out has no reason, then it is refused', () => {
    expect(() =>
      postRouteWithoutIdempotency(express.Router(), '/v1/x', ' ', (_req, res) => void res.end()),
    ).toThrow(/needs a reason/);
  });

  it('when an app was built, then its POSTs are listed for the coverage test', () => {
    const built = builtServicePosts().filter((entry) => entry.service === 'route-kit-test');
    expect(built[0]?.posts.map((entry) => entry.path)).toEqual([
      '/v1/notes',
      '/v1/login',
      '/v1/express-notes',
    ]);
  });
});

describe('idempotencyKeysTable', () => {
  it('when a service schema declares its table with the factory, then it has the migrated shape', () => {
    const config = getTableConfig(idempotencyKeysTable(pgSchema('any')));
    expect(config.schema).toBe('any');
    expect(config.name).toBe('idempotency_keys');
    expect(
      config.columns.map((column) => [column.name, column.getSQLType(), column.notNull]),
    ).toEqual([
      ['scope', 'text', true],
      ['key', 'text', true],
      ['request_hash', 'text', true],
      ['response_status', 'integer', true],
      ['response_body', 'text', true],
      ['created_at', 'timestamp with time zone', true],
      ['expires_at', 'timestamp with time zone', true],
    ]);
    expect(config.primaryKeys[0]?.getName()).toBe('idempotency_keys_pkey');
    expect(config.indexes.map((index) => index.config.name)).toEqual([
      'idempotency_keys_expires_at_idx',
    ]);
    expect(config.checks.map((check) => check.name)).toEqual(['idempotency_keys_key_length']);
  });
});
