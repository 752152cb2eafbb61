import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import {
  gatewayForwards,
  identityHeader,
  requireUser,
  signIdentity,
  type IdentitySigner,
  type Principal,
} from './identity.js';
import { createLogger } from './logger.js';
import { postRouteWithoutIdempotency } from './route-kit.js';
import { listen, type RunningServer } from './serve.js';
import { createServiceApp } from './service-app.js';

const keypair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const gatewayKeys = keypair();
const operatorKeys = keypair();
const gateway: IdentitySigner = { issuer: 'gateway', privateKey: gatewayKeys.privateKey };
const operator: IdentitySigner = { issuer: 'operator', privateKey: operatorKeys.privateKey };
const sign = (principal: Principal, signer = gateway) =>
  signIdentity(signer, principal, { audience: 'kit-test' });
const logLines: string[] = [];
const logger = createLogger(
  { name: 'kit-test', level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

let server: RunningServer;
beforeAll(async () => {
  const routes = express.Router();
  postRouteWithoutIdempotency(routes, '/v1/echo', 'a test echo: it writes nothing', (req, res) => {
    const user = requireUser(res, ['merchant']);
    res.json({ user: user.userId, body: req.body as unknown });
  });
  routes.get('/v1/boom', () => {
    throw new Error('database password is hunter2');
  });
  routes.get('/internal/things', (_req, res) => {
    res.json({ internal: true });
  });
  routes.get('/v1/things/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  routes.get('/v1/teapot', () => {
    throw new AppError('im_a_teapot', 418, 'Short and stout', { param: 'spout' });
  });
  const app = createServiceApp({
    name: 'kit-test',
    logger,
    identity: {
      audience: 'kit-test',
      issuers: {
        gateway: { publicKey: gatewayKeys.publicKey, forwards: gatewayForwards },
        operator: { publicKey: operatorKeys.publicKey },
      },
    },
    checks: {},
    routes,
  });
  server = await listen(app, { port: 0, host: '127.0.0.1' });
});
afterAll(() => server.close());

const merchant = {
  kind: 'user' as const,
  userId: 'usr_1',
  role: 'merchant' as const,
  email: 'm@example.com',
  sessionId: 's',
};

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(server.url + path, init);
  return {
    status: response.status,
    body: (await response.json()) as any,
    headers: response.headers,
  };
}

/** A GET with the path as given (fetch would normalize some spellings before sending). */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'GET', path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createServiceApp', () => {
  it('when a request has no gateway identity, or one signed with another key, then 401', async () => {
    const none = await call('/v1/echo', { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('gateway_credential_required');
    const forged = sign(merchant, { issuer: 'gateway', privateKey: keypair().privateKey });
    const wrong = await call('/v1/echo', { method: 'POST', headers: { [identityHeader]: forged } });
    expect(wrong.status).toBe(401);
  });

  it('when the identity is valid, then the route sees the principal and the JSON body', async () => {
    const ok = await call('/v1/echo', {
      method: 'POST',
      headers: {
        [identityHeader]: sign(merchant),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ a: 1 }),
    });
    expect(ok).toMatchObject({ status: 200, body: { user: 'usr_1', body: { a: 1 } } });
  });

  it('when the role is wrong, then 403 permission_error', async () => {
    const res = await call('/v1/echo', {
      method: 'POST',
      headers: { [identityHeader]: sign({ ...merchant, role: 'user' }) },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe('permission_error');
  });

  it('renders AppErrors as the API error object with the request id', async () => {
    const res = await call('/v1/teapot', {
      headers: { [identityHeader]: sign(merchant) },
    });
    expect(res.status).toBe(418);
    expect(res.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'im_a_teapot',
        message: 'Short and stout',
        param: 'spout',
        request_id: res.headers.get('request-id'),
      },
    });
  });

  it('when a route throws an unknown error, then 500 api_error with details hidden but logged', async () => {
    const res = await call('/v1/boom', {
      headers: { [identityHeader]: sign(merchant) },
    });
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ type: 'api_error', code: 'internal_error' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(logLines.join('')).toContain('unhandled error');
  });

  it('never logs the identity header or an Authorization header', async () => {
    await call('/v1/echo', {
      method: 'POST',
      headers: {
        [identityHeader]: sign(merchant),
        authorization: 'Bearer sk_test_secretvalue',
      },
    });
    const logs = logLines.join('');
    expect(logs).not.toContain('sk_test_secretvalue');
    expect(logs).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('serves health without credentials', async () => {
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/readyz')).body.status).toBe('ready');
  });
});

describe('path parameters that do not decode', () => {
  it('when a path parameter is malformed percent-encoding or not UTF-8, then 404, not 500', async () => {
    const headers = { [identityHeader]: sign(merchant) };
    for (const id of ['%ED%A0%80', '%zz', '%E0%A4']) {
      const response = await call(`/v1/things/${id}`, { headers });
      expect(response.status, id).toBe(404);
      expect(response.body.error.code, id).toBe('route_not_found');
    }
    expect((await call('/v1/things/ok', { headers })).body).toEqual({ id: 'ok' });
  });
});

describe('/internal routes', () => {
  it('when the identity is a person, an API key or anonymous (all a public request can carry), then 403 whatever the route checks; a service gets through', async () => {
    const outsiders = [
      merchant,
      { kind: 'anonymous' as const },
      {
        kind: 'api_key' as const,
        keyId: 'key_1',
        keyType: 'secret' as const,
        merchantId: 'mer_1',
        projectId: 'prj_1',
        mode: 'test' as const,
      },
    ];
    for (const principal of outsiders) {
      const response = await call('/internal/things', {
        headers: { [identityHeader]: sign(principal) },
      });
      expect(response.status, principal.kind).toBe(403);
      expect(response.body.error.code).toBe('permission_denied');
    }
    const service = await call('/internal/things', {
      headers: { [identityHeader]: sign({ kind: 'service', name: 'operator' }, operator) },
    });
    expect(service.body).toEqual({ internal: true });
  });

  it('when an internal route is asked for in another spelling the router still matches, then a person gets 403 all the same', async () => {
    const spellings = [
      '/INTERNAL/things',
      '/Internal/Things',
      '/internal/things/',
      '/internal/things?x=1',
    ];
    for (const path of spellings) {
      const response = await rawGet(path, { [identityHeader]: sign(merchant) });
      expect(response.status, path).toBe(403);
      const service = await rawGet(path, {
        [identityHeader]: sign({ kind: 'service', name: 'operator' }, operator),
      });
      expect(service.status, `${path} as a service`).toBe(200);
    }
    // Not the /internal segment: no route, the ordinary 404.
    const other = await rawGet('/internals/things', { [identityHeader]: sign(merchant) });
    expect(other.status).toBe(404);
  });

  it('when nothing started telemetry, then building the app started none either: /metrics is 503', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(503);
  });
});
