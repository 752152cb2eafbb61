import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig } from '../src/config.js';
import { startGateway } from '../src/index.js';
import { testRedisUrl, testSecrets, testIdentityEnv } from '@expe/testing';
import type { RunningService } from '@expe/server-kit';
import { latestApiVersion, type InternalMerchant, type ProjectResource } from '@expe/contracts';

/**
 * The gateway alone, on real Redis, in front of the given service URLs (stand-ins the test
 * controls). Rate limits are out of the way unless `env` sets them.
 */
export function startGatewayInFront(
  upstreams: { auth: string; merchants: string; payments: string; webhooks: string },
  redisPrefix: string,
  env: Record<string, string> = {},
): Promise<RunningService> {
  return startGateway(
    loadGatewayConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: testSecrets.jwt.reveal(),
      ...testIdentityEnv('gateway'),
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: `${redisPrefix}${randomBytes(3).toString('hex')}:`,
      AUTH_URL: upstreams.auth,
      MERCHANTS_URL: upstreams.merchants,
      PAYMENTS_URL: upstreams.payments,
      WEBHOOKS_URL: upstreams.webhooks,
      RATE_LIMIT_PER_KEY: '100000',
      RATE_LIMIT_PER_IP: '100000',
      ...env,
    }),
  );
}

/**
 * A stand-in for a service behind the gateway: a real HTTP server on loopback whose speed and
 * answers the test controls (a service that is slow, down or in a given state on demand).
 */
export interface StandIn {
  url: string;
  /** Requests seen, by path. */
  seen: Map<string, number>;
  close(): Promise<void>;
}

export async function startStandIn(
  handle: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<StandIn> {
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    seen.set(path, (seen.get(path) ?? 0) + 1);
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Merchants' `getMerchantOfOwner` answer (`@expe/contracts`' `internalMerchantSchema`). */
export function internalMerchant(id: string): InternalMerchant {
  return {
    id,
    object: 'merchant',
    name: 'Stand-in',
    email: 'owner@example.com',
    created: 1_764_115_200,
    deactivated: false,
  };
}

/** Merchants' `getProject` answer: the project and its merchant. */
export function internalProject(merchantId: string, projectId: string) {
  return {
    id: projectId,
    object: 'project',
    name: 'Stand-in',
    api_version: latestApiVersion,
    created: 1_764_115_200,
    expires_at: null,
    merchant_id: merchantId,
  } satisfies ProjectResource & { merchant_id: string };
}
