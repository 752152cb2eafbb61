import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookSender } from './send-webhook.js';
import { checkEndpointUrl, urlPolicyFor, type ResolveHost } from './url-guard.js';

// Test-mode endpoints may name loopback, so developers receive webhooks on their own machine —
// but not the platform's own ports there (issue 11, finding 10): a test-mode endpoint at
// http://127.0.0.1:4003/... would POST signed events to the payments service (or Redis,
// PostgreSQL) and read back the first 1 KB of its answer in the delivery log.

let platformService: Server;
let platformPort: number;
const hits: string[] = [];
beforeAll(async () => {
  platformService = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('{"internal":"answer"}');
  });
  await new Promise<void>((resolve) => platformService.listen(0, '127.0.0.1', resolve));
  platformPort = (platformService.address() as AddressInfo).port;
});
afterAll(async () => {
  platformService.closeAllConnections();
  await new Promise<void>((resolve) => platformService.close(() => resolve()));
});

const toLoopback: ResolveHost = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);

describe("the platform's own loopback ports", () => {
  it('when a test-mode endpoint names a platform port on loopback (literal, localhost or a name that resolves there), then registration refuses it', async () => {
    const policy = urlPolicyFor('test', true, [], [4003, 6379]);
    for (const url of [
      'http://127.0.0.1:4003/internal/payments',
      'http://localhost:4003/',
      'http://[::1]:6379/',
      'http://127.0.0.2:4003/',
      'http://sneaky.example:4003/',
    ]) {
      await expect(checkEndpointUrl(url, policy, toLoopback), url).rejects.toThrow(
        /platform|loopback/,
      );
    }
    // Other loopback ports stay open for developers' receivers.
    await expect(
      checkEndpointUrl('http://127.0.0.1:3000/hooks', policy, toLoopback),
    ).resolves.toBeUndefined();
    await expect(
      checkEndpointUrl('http://localhost:8080/hooks', policy, toLoopback),
    ).resolves.toBeUndefined();
  });

  it('when a delivery goes to a platform port on loopback, then nothing is sent there', async () => {
    const sender = createWebhookSender({ timeoutMs: 2_000, resolve: toLoopback });
    try {
      for (const host of ['127.0.0.1', 'localhost', 'sneaky.example']) {
        const result = await sender.send({
          url: `http://${host}:${platformPort}/internal/anything`,
          body: '{}',
          headers: { 'content-type': 'application/json' },
          policy: urlPolicyFor('test', true, [], [platformPort]),
        });
        expect(result.isSuccess, host).toBe(false);
        expect(result.responseExcerpt, host).toBeNull();
      }
      expect(hits).toEqual([]);
      // The same receiver on a port that is not the platform's is reached.
      const allowed = await sender.send({
        url: `http://127.0.0.1:${platformPort}/hooks`,
        body: '{}',
        headers: { 'content-type': 'application/json' },
        policy: urlPolicyFor('test', true, [], [4003]),
      });
      expect(allowed.isSuccess).toBe(true);
    } finally {
      await sender.close();
    }
  });
});
