import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
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

/** What the merchants stand-in knows; the test may change it while the gateway runs. */
export interface MerchantsDirectory {
  /** API keys by the SHA-256 of their secret, as `/internal/api-keys/resolve` answers them. */
  keysByHash: Map<string, object>;
  /** Each merchant owner's (a user id) merchant id. */
  merchantOfOwner: Map<string, string>;
  /** Each merchant's project ids. */
  projectsOf: Map<string, string[]>;
}

const notFound = (_req: IncomingMessage, res: ServerResponse) =>
  json(res, 404, { error: { code: 'resource_missing' } });

/**
 * Merchants as the gateway uses it: a key by its hash, an owner's merchant, a merchant's
 * project; anything else goes to `otherwise` (404 resource_missing unless given).
 */
export function startMerchantsStandIn(
  directory: MerchantsDirectory,
  otherwise: (req: IncomingMessage, res: ServerResponse, body: string) => void = notFound,
): Promise<StandIn> {
  return startStandIn((req, res, body) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/internal/api-keys/resolve') {
      const hash = (JSON.parse(body || '{}') as { hash?: string }).hash ?? '';
      const key = directory.keysByHash.get(hash);
      return key ? json(res, 200, key) : json(res, 404, { error: { code: 'invalid_api_key' } });
    }
    const owner = /^\/internal\/merchants\/by-owner\/([^/]+)$/.exec(path);
    if (owner) {
      const merchantId = directory.merchantOfOwner.get(owner[1] ?? '');
      return merchantId ? json(res, 200, internalMerchant(merchantId)) : notFound(req, res);
    }
    const project = /^\/internal\/merchants\/([^/]+)\/projects\/([^/]+)$/.exec(path);
    if (project) {
      const [, merchantId = '', projectId = ''] = project;
      return directory.projectsOf.get(merchantId)?.includes(projectId)
        ? json(res, 200, internalProject(merchantId, projectId))
        : notFound(req, res);
    }
    otherwise(req, res, body);
  });
}

/** A client on the gateway's /v1/ws: every message it received, parsed, and when it closed. */
export async function openWebSocket(gatewayUrl: string) {
  const ws = new WebSocket(`${gatewayUrl.replace('http', 'ws')}/v1/ws`);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, messages, closed };
}
