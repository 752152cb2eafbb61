import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestRedisPrefix } from '@expe/testing';
import type { RunningService } from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayInFront } from './support.js';

// Path tricks (issue 11, finding 1). Every service behind the gateway is one recording stand-in,
// so "nothing reached a service" is observed, not inferred from a 404 a service might also give.

const seen: string[] = [];
let upstream: Server;
let gateway: RunningService;
const prefix = createTestRedisPrefix('gateway_paths');

beforeAll(async () => {
  upstream = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"reached":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await startGatewayInFront(
    { auth: url, merchants: url, payments: url, webhooks: url },
    prefix.prefix,
  );
});
afterAll(async () => {
  await gateway?.close();
  upstream?.closeAllConnections();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
  await prefix.cleanup();
});

/** Sends the path byte for byte (fetch and curl would resolve `..` before sending). */
function rawGet(path: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'GET', path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const id = 'pay_01kb3v4y7m9q2x8c5d6e7f8g9h';
const tricks = [
  `/v1/payments/../../internal/payments/${id}`,
  `/v1/payments/%2e%2e/%2e%2e/internal/payments/${id}`,
  `/v1/payments/%2E%2E/%2E%2E/internal/payments/${id}`,
  `/v1/payments/.%2e/.%2e/internal/payments/${id}`,
  `/v1/payments/..%2f..%2finternal/payments/${id}`,
  `/v1/payments%2f..%2f..%2finternal%2fpayments%2f${id}`,
  `/v1/payments/..\\..\\internal/payments/${id}`,
  `/v1/payments/%5c..%5c..%5cinternal/payments/${id}`,
  `/v1/payments//../../internal/payments/${id}`,
  `/v1/payments/../../metrics`,
  `/v1/payments/%2e%2e/%2e%2e/metrics`,
  `/v1/payments/%252e%252e/%252e%252e/metrics`,
  `/v1/webhook_endpoints/../../metrics?x=1`,
  `/v1/auth/../../internal/users/usr_0000000000`,
  `/v1/payments/../refunds`,
  `/v1/payments/./${id}`,
  `/v1//payments/${id}`,
  `/v1/payments/${id}/..`,
  `/v1/payments/${id}/.`,
  `/v1/payments/${id}//confirm`,
  `/v1/payments\\${id}`,
  `/v1/internal/payments/${id}`,
  `/v1/metrics`,
  `/v1/payments/${id}%00`,
  `/v1/payments/%ED%A0%80`,
  `/v1/payments/%zz`,
];

describe('paths that leave their route prefix', () => {
  it('when a path is not canonical or climbs out of its prefix (.., %2e%2e, %2f, backslashes, double slashes), then 404 at the gateway and no service sees it', async () => {
    for (const path of tricks) {
      seen.length = 0;
      const response = await rawGet(path);
      expect(response.status, path).toBe(404);
      expect(JSON.parse(response.text).error.code, path).toBe('route_not_found');
      expect(seen, path).toEqual([]);
    }
  });

  it('when the path is canonical, then it reaches its service unchanged, query included', async () => {
    for (const path of [
      `/v1/payments/${id}?expand=x`,
      '/v1/payments',
      `/v1/projects/prj_01kb3v4y7m9q2x8c5d6e7f8g9h/api_keys`,
      '/v1/auth/login',
      `/v1/payments/${id}/qr?format=svg`,
    ]) {
      seen.length = 0;
      const response = await rawGet(path);
      expect(response.status, path).toBe(200);
      expect(seen, path).toEqual([path]);
    }
  });
});

/** A POST with one header line per value of each header (Node would otherwise merge nothing). */
function rawPost(headers: [string, string][]): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(gateway.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'POST', path: '/v1/payments' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    const grouped = new Map<string, string[]>();
    for (const [name, value] of headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
    for (const [name, values] of grouped) req.setHeader(name, values);
    req.on('error', reject);
    req.end('{"amount":100,"currency":"inr"}');
  });
}

describe('headers that must appear once', () => {
  it('when Idempotency-Key (or Expe-Project, Expe-Mode, Expe-Version) is sent twice, then 400 naming it and nothing reaches a service', async () => {
    for (const name of ['Idempotency-Key', 'Expe-Project', 'Expe-Mode', 'Expe-Version']) {
      seen.length = 0;
      const response = await rawPost([
        ['content-type', 'application/json'],
        [name, 'first-value-1'],
        [name, 'second-value-2'],
      ]);
      expect(response.status, name).toBe(400);
      expect(JSON.parse(response.text).error, name).toMatchObject({
        code: 'parameter_invalid',
        param: name,
      });
      expect(seen, name).toEqual([]);
    }
  });

  it('when Idempotency-Key is sent once, then the request is forwarded', async () => {
    seen.length = 0;
    const response = await rawPost([
      ['content-type', 'application/json'],
      ['Idempotency-Key', 'only-one'],
    ]);
    expect(response.status).toBe(200);
    expect(seen).toEqual(['/v1/payments']);
  });
});
