import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestRedisPrefix, testSecrets } from '@expe/testing';
import { sha256Hex, signAccessToken, type RunningService } from '@expe/server-kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, startGatewayInFront, startMerchantsStandIn, type StandIn } from './support.js';

// Issue 21, item 5 at the edge: what the gateway itself shows to whoever can reach it — a
// project's request log, the public /metrics, the web app's files — and whom its
// failed-authentication limiter refuses. The services behind it are stand-ins; Redis is real.

const merchantId = 'mer_leakowner001';
const projectId = 'prj_leakproject01';
const ownerUserId = 'usr_leakowner001';
const sessionId = `ses_${randomBytes(8).toString('hex')}`;
const keyId = `key_${randomBytes(6).toString('hex')}`;
const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const keysByHash = new Map([
  [
    sha256Hex(secretKey),
    {
      key_id: keyId,
      key_type: 'secret',
      merchant_id: merchantId,
      project_id: projectId,
      mode: 'test',
    },
  ],
]);
const ownerToken = signAccessToken(
  testSecrets.jwt,
  { sub: ownerUserId, role: 'merchant', email: 'owner@example.com', sid: sessionId },
  600,
);
const failureLimit = 5;

let backend: StandIn;
let gateway: RunningService;
let productionGateway: RunningService;
let dist: string;
const prefix = createTestRedisPrefix('gateway_leaks');
beforeAll(async () => {
  backend = await startMerchantsStandIn(
    {
      keysByHash,
      merchantOfOwner: new Map([[ownerUserId, merchantId]]),
      projectsOf: new Map([[merchantId, [projectId]]]),
    },
    (req, res) =>
      req.url?.startsWith('/internal/')
        ? json(res, 404, { error: { code: 'resource_missing' } })
        : json(res, 200, { object: 'balance' }),
  );
  dist = mkdtempSync(join(tmpdir(), 'expe-web-maps-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<title>app</title>');
  writeFileSync(
    join(dist, 'assets/main-abc.js'),
    'console.log(1)\n//# sourceMappingURL=main-abc.js.map',
  );
  writeFileSync(join(dist, 'assets/main-abc.js.map'), '{"sources":["../src/secret-logic.ts"]}');
  writeFileSync(join(dist, 'top.js.map'), '{"sources":[]}');
  const upstreams = {
    auth: backend.url,
    merchants: backend.url,
    payments: backend.url,
    webhooks: backend.url,
  };
  const env = {
    AUTH_FAILURES_PER_IP: String(failureLimit),
    AUTH_FAILURE_WINDOW_MS: '60000',
    API_KEY_CACHE_TTL_MS: '0',
    WEB_DIST_DIR: dist,
  };
  gateway = await startGatewayInFront(upstreams, prefix.prefix, env);
  productionGateway = await startGatewayInFront(upstreams, prefix.prefix, {
    ...env,
    NODE_ENV: 'production',
    CORS_ORIGINS: 'https://dashboard.example.com',
  });
  // Sessions are checked against Redis, so wait until the gateways have it.
  for (const running of [gateway, productionGateway]) {
    await vi.waitFor(async () => expect((await fetch(`${running.url}/readyz`)).status).toBe(200));
  }
});
afterAll(async () => {
  await gateway?.close();
  await productionGateway?.close();
  await backend?.close();
  await prefix.cleanup();
  rmSync(dist, { recursive: true, force: true });
});

const call = (base: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers });

describe("a project's request log", () => {
  it("when a merchant user's session acts for the project, then the log its secret keys read shows a dashboard marker, never the session id", async () => {
    const bySession = await call(gateway.url, '/v1/balance', {
      authorization: `Bearer ${ownerToken}`,
      'expe-project': projectId,
      'expe-mode': 'test',
    });
    expect(bySession.status, await bySession.clone().text()).toBe(200);
    const requestId = bySession.headers.get('request-id');

    const entry = await vi.waitFor(async () => {
      const log = await call(gateway.url, '/v1/request_logs?limit=100', {
        authorization: `Bearer ${secretKey}`,
      });
      const text = await log.text();
      const found = (JSON.parse(text) as { data: { id: string; key_id: string }[] }).data.find(
        (item) => item.id === requestId,
      );
      expect(found).toBeDefined();
      expect(text).not.toContain(sessionId);
      expect(text).not.toMatch(/ses_/);
      return found!;
    });
    expect(entry.key_id).toBe('dashboard_session');
    // A key's own requests still show the key.
    expect(
      (await call(gateway.url, '/v1/balance', { authorization: `Bearer ${secretKey}` })).status,
    ).toBe(200);
    await vi.waitFor(async () => {
      const log = await call(gateway.url, '/v1/request_logs?limit=100', {
        authorization: `Bearer ${secretKey}`,
      });
      const { data } = (await log.json()) as { data: { key_id: string }[] };
      expect(data.map((item) => item.key_id)).toContain(keyId);
    });
  });
});

describe('the public /metrics', () => {
  it('when anyone reads it, then target_info names the service but not the host name, pid, command line, executable or process owner', async () => {
    const response = await call(gateway.url, '/metrics');
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(text).toMatch(/^target_info\{[^}]*service_name=/m);
    for (const label of [
      'host_',
      'process_pid',
      'process_command',
      'process_executable',
      'process_owner',
      'process_runtime',
    ]) {
      expect(text, label).not.toMatch(new RegExp(`target_info\\{[^}]*${label}`));
    }
    expect(text).not.toContain(`"${process.pid}"`);
    expect(text).not.toContain(`"${hostname()}"`);
  });
});

describe("the web app's source maps", () => {
  it('when production serves the web app, then its source maps are 404 and the app still loads', async () => {
    for (const path of ['/assets/main-abc.js.map', '/top.js.map', '/assets/MAIN-ABC.JS.MAP']) {
      const response = await call(productionGateway.url, path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('secret-logic');
    }
    expect((await call(productionGateway.url, '/assets/main-abc.js')).status).toBe(200);
    expect((await call(productionGateway.url, '/', { accept: 'text/html' })).status).toBe(200);
  });

  it('when development serves the web app, then its source maps are there for the browser tools', async () => {
    expect((await call(gateway.url, '/assets/main-abc.js.map')).status).toBe(200);
  });
});

describe('the failed-authentication limiter', () => {
  it('when an address has sent more bad keys than the limit, then its bad keys get 429 but its working key and a merchant session still work', async () => {
    const ip = {};
    // The address's own key is in use (a CI runner beside a misconfigured job).
    expect(
      (await call(gateway.url, '/v1/balance', { authorization: `Bearer ${secretKey}` })).status,
    ).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i <= failureLimit; i++) {
      const bad = await call(gateway.url, '/v1/balance', {
        authorization: `Bearer sk_test_${randomBytes(12).toString('hex')}`,
        ...ip,
      });
      statuses.push(bad.status);
    }
    expect(statuses.at(-1)).toBe(429);

    const good = await call(gateway.url, '/v1/balance', {
      authorization: `Bearer ${secretKey}`,
      ...ip,
    });
    expect(good.status).toBe(200);
    const session = await call(gateway.url, '/v1/balance', {
      authorization: `Bearer ${ownerToken}`,
      'expe-project': projectId,
      'expe-mode': 'test',
      ...ip,
    });
    expect(session.status).toBe(200);
    const stillBad = await call(gateway.url, '/v1/balance', {
      authorization: `Bearer sk_test_${randomBytes(12).toString('hex')}`,
      ...ip,
    });
    expect(stillBad.status).toBe(429);
    expect(stillBad.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
