import { randomBytes } from 'node:crypto';
import { createTestRedisPrefix } from '@expe/testing';
import type { RunningService } from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, startGatewayInFront, startStandIn, type StandIn } from './support.js';

// The request log is written in batches (issue 23): an entry waits in the gateway that served
// the request for a moment, then goes to Redis with the others of that moment. What a caller
// relies on stays: its own requests are listed as soon as it asks, newest first; another
// replica's show up shortly; none is lost when a gateway shuts down.

const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const keyId = `key_${randomBytes(6).toString('hex')}`;
const prefix = createTestRedisPrefix('gateway-request-log');
const redisEnv = { REDIS_KEY_PREFIX: `${prefix.prefix}shared:` };

let backend: StandIn;
const gateways: RunningService[] = [];
beforeAll(async () => {
  backend = await startStandIn((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/internal/api-keys/resolve') {
      return json(res, 200, {
        key_id: keyId,
        key_type: 'secret',
        merchant_id: 'mer_requestlog01',
        project_id: 'prj_requestlog01',
        mode: 'test',
      });
    }
    if (path?.startsWith('/internal/merchants/')) return json(res, 404, {});
    return json(res, 200, { id: 'acct_requestlog', object: 'account' });
  });
  const upstreams = {
    auth: backend.url,
    merchants: backend.url,
    payments: backend.url,
    webhooks: backend.url,
  };
  for (let i = 0; i < 3; i++) {
    gateways.push(await startGatewayInFront(upstreams, prefix.prefix, redisEnv));
  }
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await backend?.close();
  await prefix.cleanup();
});

const authorization = { authorization: `Bearer ${secretKey}` };
async function requestIds(base: string, count: number): Promise<string[]> {
  const ids = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${base}/v1/account`, { headers: authorization });
    expect(response.status).toBe(200);
    ids.push(response.headers.get('request-id')!);
  }
  return ids;
}
async function loggedIds(base: string): Promise<string[]> {
  const response = await fetch(`${base}/v1/request_logs?limit=100`, { headers: authorization });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string }[] }).data.map((entry) => entry.id);
}

describe('request log written in batches', () => {
  it('when a key makes requests and then lists the log on the same gateway, then they are all there at once, newest first', async () => {
    const [gateway] = gateways;
    const ids = await requestIds(gateway!.url, 5);
    const listed = await loggedIds(gateway!.url);
    expect(listed.slice(0, 5)).toEqual([...ids].reverse());
  });

  it('when requests go through another replica, then its entries reach the shared log shortly', async () => {
    const [first, second] = gateways;
    const ids = await requestIds(second!.url, 3);
    await vi.waitFor(async () =>
      expect(await loggedIds(first!.url)).toEqual(expect.arrayContaining(ids)),
    );
  });

  it('when a gateway shuts down right after its requests, then their entries are in the log', async () => {
    const [first, , last] = gateways;
    const ids = await requestIds(last!.url, 4);
    await last!.close();
    gateways.pop();
    expect(await loggedIds(first!.url)).toEqual(expect.arrayContaining(ids));
  });
});
