import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createTestRedisPrefix } from '@expe/testing';
import { sha256Hex, type RunningService } from '@expe/server-kit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { json, startGatewayInFront, startStandIn, type StandIn } from './support.js';

// The gateway under pressure (issue 9): bursts on cold keys, floods of bad keys, a slow or a
// stopped service. The services behind it are stand-ins — real HTTP servers on loopback whose
// speed and answers each test controls, because "a service that is slow right now" cannot be
// produced on demand with the real ones. Redis is real.

/** Merchants stand-in: every `sk_test_good…` key resolves (after `delayMs`), others are unknown. */
function merchantsStandIn(delayMs = 50) {
  return startStandIn((_req, res, body) => {
    const { hash } = JSON.parse(body || '{}') as { hash?: string };
    setTimeout(() => {
      if (hash && goodKeyHashes.has(hash)) {
        json(res, 200, {
          key_id: `key_${hash.slice(0, 10)}`,
          key_type: 'secret',
          merchant_id: 'mer_standin0001',
          project_id: 'prj_standin0001',
          mode: 'test',
        });
      } else {
        json(res, 404, { error: { code: 'invalid_api_key' } });
      }
    }, delayMs);
  });
}

const goodKeyHashes = new Set<string>();
function goodKey(): string {
  const key = `sk_test_good${randomBytes(12).toString('hex')}`;
  goodKeyHashes.add(sha256Hex(key));
  return key;
}
const badKey = () => `sk_test_${randomBytes(16).toString('hex')}`;

const opened: { close(): Promise<void> }[] = [];
const prefix = createTestRedisPrefix('gateway_pressure');
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) await item.close();
});
afterAll(() => prefix.cleanup());

async function gatewayWith(
  upstreams: { merchants: StandIn; payments: StandIn },
  env: Record<string, string> = {},
): Promise<RunningService> {
  const gateway = await startGatewayInFront(
    {
      auth: upstreams.payments.url,
      merchants: upstreams.merchants.url,
      payments: upstreams.payments.url,
      webhooks: upstreams.payments.url,
    },
    prefix.prefix,
    env,
  );
  opened.push(gateway);
  return gateway;
}

async function call(gateway: RunningService, path: string, key?: string) {
  const response = await fetch(`${gateway.url}${path}`, {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after') };
}

describe('the gateway under pressure', () => {
  it('when 260 requests arrive at once over 3 keys it has never seen, then all are answered 200 and each key is looked up once', async () => {
    const merchants = await merchantsStandIn(100);
    const payments = await startStandIn((_req, res) => json(res, 200, { object: 'balance' }));
    opened.push(merchants, payments);
    // A cache that outlives the burst even on a loaded machine: this is about single-flight
    // lookups and the cache, not about its TTL (a revoked key's TTL has its own test).
    const gateway = await gatewayWith({ merchants, payments }, { API_KEY_CACHE_TTL_MS: '60000' });
    const keys = [goodKey(), goodKey(), goodKey()];

    const answers = await Promise.all(
      Array.from({ length: 260 }, (_, i) => call(gateway, '/v1/balance', keys[i % 3])),
    );

    expect(answers.filter((a) => a.status === 200)).toHaveLength(260);
    expect(merchants.seen.get('/internal/api-keys/resolve')).toBe(3);
  });

  it('when one address tries 100 unknown keys, then past AUTH_FAILURES_PER_IP it gets 429 with Retry-After and no more lookups are made', async () => {
    const merchants = await merchantsStandIn(0);
    const payments = await startStandIn((_req, res) => json(res, 200, {}));
    opened.push(merchants, payments);
    const gateway = await gatewayWith({ merchants, payments }, { AUTH_FAILURES_PER_IP: '20' });

    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await call(gateway, '/v1/balance', badKey()));

    expect(answers.slice(0, 20).every((a) => a.status === 401)).toBe(true);
    expect(answers.slice(20).every((a) => a.status === 429 && Number(a.retryAfter) >= 1)).toBe(
      true,
    );
    expect(merchants.seen.get('/internal/api-keys/resolve')).toBeLessThanOrEqual(21);
    // Requests without credentials are not refused: only failed authentication is limited.
    expect((await call(gateway, '/v1/balance')).status).toBe(200);
  });

  it('when a service is slow and requests pile up past MAX_IN_FLIGHT_PER_UPSTREAM, then the excess gets 503 with Retry-After at once, and the rest complete', async () => {
    const merchants = await merchantsStandIn(0);
    const held: ServerResponse[] = [];
    const payments = await startStandIn((_req, res) => held.push(res));
    opened.push(merchants, payments);
    const gateway = await gatewayWith({ merchants, payments }, { MAX_IN_FLIGHT_PER_UPSTREAM: '4' });
    const key = goodKey();
    let answered = 0;

    const pending = Array.from({ length: 10 }, () =>
      call(gateway, '/v1/balance', key).then((answer) => {
        answered += 1;
        return answer;
      }),
    );
    // Six are refused while four are still held by the slow service.
    while (answered < 6 || held.length < 4) await new Promise((r) => setTimeout(r, 10));
    expect(held).toHaveLength(4);
    for (const res of held.splice(0)) json(res, 200, {});
    const answers = await Promise.all(pending);

    expect(answers.filter((a) => a.status === 200)).toHaveLength(4);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused).toHaveLength(6);
    expect(refused.every((a) => a.retryAfter === '1')).toBe(true);
  });

  it('when a connection to a service is lost before any answer, then a read or a write with an Idempotency-Key is sent once more, and a write without one is a 503', async () => {
    const merchants = await merchantsStandIn(0);
    let cutNext = true;
    // A pod going away: the connection closes under the request, without an answer.
    const payments = await startStandIn((req, res) => {
      if (cutNext) {
        cutNext = false;
        req.socket.destroy();
        return;
      }
      json(res, 200, { object: 'balance' });
    });
    opened.push(merchants, payments);
    const gateway = await gatewayWith({ merchants, payments });
    const key = goodKey();
    const post = (headers: Record<string, string>) =>
      fetch(`${gateway.url}/v1/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        body: '{}',
      });

    expect((await call(gateway, '/v1/balance', key)).status).toBe(200);
    cutNext = true;
    expect((await post({ 'idempotency-key': 'retry-me' })).status).toBe(200);
    cutNext = true;
    const unsafe = await post({});
    expect(unsafe.status).toBe(503);
    expect(unsafe.headers.get('retry-after')).toBe('1');
    expect(payments.seen.get('/v1/balance')).toBe(2);
    expect(payments.seen.get('/v1/payments')).toBe(3);
  });

  it('when a service is down, then its routes answer 503 with Retry-After, never 502', async () => {
    const merchants = await merchantsStandIn(0);
    const payments = await startStandIn((_req, res) => json(res, 200, {}));
    opened.push(merchants);
    const gateway = await gatewayWith({ merchants, payments });
    const key = goodKey();
    await payments.close();

    const answer = await call(gateway, '/v1/balance', key);

    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe('1');
  });
});
