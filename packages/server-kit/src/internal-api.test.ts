import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { internalErrorSchema, internalRoute, z } from '@expe/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import type { IdentitySigner } from './identity.js';
import { createInternalClient, serveInternal } from './internal-api.js';
import { createLogger } from './logger.js';
import { listen, type RunningServer } from './serve.js';
import { createServiceApp } from './service-app.js';

// A contract of two routes, served by a real service app and called by the typed client, each
// with its own ES256 key, as two Expe services are.
const thingSchema = z.object({ id: z.string().startsWith('thg_'), size: z.number().int() });
const api = {
  getThing: internalRoute({
    service: 'webhooks',
    method: 'GET',
    path: '/internal/things/:id',
    callers: ['payments'],
    params: z.object({ id: z.string().startsWith('thg_') }),
    query: z.object({ size: z.coerce.number().int().default(1) }),
    responses: { 200: thingSchema, 404: internalErrorSchema },
  }),
  makeThing: internalRoute({
    service: 'webhooks',
    method: 'POST',
    path: '/internal/things',
    callers: ['payments'],
    body: z.strictObject({ size: z.number().int().positive() }),
    responses: { 201: thingSchema },
  }),
} as const;

const keypair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const paymentsKeys = keypair();
const authKeys = keypair();
const payments: IdentitySigner = { issuer: 'payments', privateKey: paymentsKeys.privateKey };
const auth: IdentitySigner = { issuer: 'auth', privateKey: authKeys.privateKey };

let server: RunningServer;
beforeAll(async () => {
  const routes = express.Router();
  serveInternal(routes, api.getThing, ({ params, query }) => {
    if (params.id === 'thg_missing') throw AppError.of('resource_missing', 'No such thing');
    return Promise.resolve({ status: 200, body: { id: params.id, size: query.size } });
  });
  serveInternal(routes, api.makeThing, ({ body }) =>
    Promise.resolve({ status: 201, body: { id: 'thg_new', size: body.size } }),
  );
  const app = createServiceApp({
    name: 'webhooks',
    logger: createLogger({ name: 'webhooks', level: 'silent' }),
    identity: {
      audience: 'webhooks',
      issuers: {
        payments: { publicKey: paymentsKeys.publicKey },
        auth: { publicKey: authKeys.publicKey },
      },
    },
    checks: {},
    routes,
  });
  server = await listen(app, { port: 0, host: '127.0.0.1' });
});
afterAll(() => server.close());

const clientAs = (signer: IdentitySigner) =>
  createInternalClient(api, { baseUrl: server.url, signer });

describe('createInternalClient and serveInternal', () => {
  it('when a caller of the contract calls a route, then the path, query and body are sent and the answer is parsed by the contract', async () => {
    const client = clientAs(payments);
    // A param goes as one encoded segment, whatever it holds.
    const odd = await client.getThing({ params: { id: 'thg_a/b?c' } });
    expect(odd).toEqual({ status: 200, body: { id: 'thg_a/b?c', size: 1 } });
    const thing = await client.getThing({ params: { id: 'thg_one' }, query: { size: 3 } });
    expect(thing).toEqual({ status: 200, body: { id: 'thg_one', size: 3 } });
    const made = await client.makeThing({ body: { size: 2 } });
    expect(made).toEqual({ status: 201, body: { id: 'thg_new', size: 2 } });
  });

  it('when a status of the contract is not one the call expects, then it is thrown as unusable', async () => {
    const client = clientAs(payments);
    const missing = await client.getThing({ params: { id: 'thg_missing' } });
    expect(missing.status).toBe(404);
    await expect(
      client.getThing({ params: { id: 'thg_missing' } }, { expect: [200] }),
    ).rejects.toMatchObject({ code: 'service_unavailable', httpStatus: 503 });
  });

  it('when the serving side refuses the input, then 400 names the field and the caller gets the unusable error', async () => {
    const seen: unknown[] = [];
    const client = createInternalClient(api, {
      baseUrl: server.url,
      signer: payments,
      unusable: (answer) => {
        seen.push(answer);
        return new Error(`unusable ${answer.route} ${answer.status}`);
      },
    });
    await expect(client.makeThing({ body: { size: -1 } })).rejects.toThrow(
      'unusable makeThing 400',
    );
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/internal/things',
      status: 400,
      body: { error: { code: 'parameter_invalid', param: 'size' } },
    });
  });

  it('when a service that is not among the route’s callers calls it, then 403 and nothing runs', async () => {
    const client = createInternalClient(api, {
      baseUrl: server.url,
      signer: auth,
      unusable: (answer) => new Error(`${answer.status} ${JSON.stringify(answer.body)}`),
    });
    await expect(client.makeThing({ body: { size: 1 } })).rejects.toThrow(
      /^403 .*permission_denied/,
    );
  });

  it('when the answer breaks the contract (a body off the schema, not JSON, a status it lacks), then the call throws and nothing is returned', async () => {
    // A service that breaks the contract, as a plain HTTP server.
    let next = { status: 200, type: 'application/json', text: '' };
    const broken = createServer((_req, res) => {
      res.writeHead(next.status, { 'content-type': next.type }).end(next.text);
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = broken.address() as AddressInfo;
      const client = createInternalClient(api, {
        baseUrl: `http://127.0.0.1:${port}`,
        signer: payments,
      });
      const answers = [
        { status: 200, type: 'application/json', text: '{"id":"not-a-thing","size":1}' },
        { status: 200, type: 'text/plain', text: 'plain text' },
        { status: 500, type: 'application/json', text: '{"error":{"code":"api_error"}}' },
      ];
      for (const answer of answers) {
        next = answer;
        await expect(client.getThing({ params: { id: 'thg_one' } })).rejects.toMatchObject({
          code: 'service_unavailable',
        });
      }
      next = { status: 200, type: 'application/json', text: '{"id":"thg_one","size":1}' };
      expect(
        (await client.getThing({ params: { id: 'thg_one' } }, { expect: [200] })).body.size,
      ).toBe(1);
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it('when the service does not answer, then 503 service_unavailable', async () => {
    const client = createInternalClient(api, {
      baseUrl: 'http://127.0.0.1:9',
      signer: payments,
      timeoutMs: 1_000,
    });
    await expect(client.getThing({ params: { id: 'thg_one' } })).rejects.toMatchObject({
      code: 'service_unavailable',
      httpStatus: 503,
    });
  });
});
