import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createRedis, type Redis } from '@expe/server-kit';
import { createTestRedisPrefix, testRedisUrl, testSecrets, testIdentityEnv } from '@expe/testing';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { loadGatewayConfig } from '../src/config.js';

// The gateway's readiness decides whether Kubernetes sends it traffic. Every upstream here is
// sick (a server answering 503 to everything, including /healthz); the gateway must stay ready.
let sick: Server;
let sickUrl: string;
const prefix = createTestRedisPrefix('gateway_readiness');
const redisClients: Redis[] = [];

beforeAll(async () => {
  sick = createServer((_req, res) => {
    res.statusCode = 503;
    res.end('down');
  });
  await new Promise<void>((resolve) => sick.listen(0, '127.0.0.1', resolve));
  sickUrl = `http://127.0.0.1:${(sick.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const redis of redisClients) redis.disconnect();
  await new Promise<void>((resolve) => sick.close(() => resolve()));
  await prefix.cleanup();
});

function gatewayWith(redisUrl: string): { app: Express; redis: Redis } {
  const config = loadGatewayConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: testSecrets.jwt.reveal(),
    ...testIdentityEnv('gateway'),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix.prefix,
    AUTH_URL: sickUrl,
    MERCHANTS_URL: sickUrl,
    PAYMENTS_URL: sickUrl,
    WEBHOOKS_URL: sickUrl,
  });
  const redis = createRedis(config.REDIS_URL, { keyPrefix: config.REDIS_KEY_PREFIX });
  redis.on('error', () => undefined);
  redisClients.push(redis);
  const app = createApp({ config, redis, logger: createLogger({ name: 'test', level: 'silent' }) });
  return { app, redis };
}

async function get(app: Express, path: string) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: (await response.json()) as any };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('GET /readyz', () => {
  it('when every upstream service is failing but Redis answers, then the gateway is still ready', async () => {
    const { app } = gatewayWith(testRedisUrl);

    const ready = await get(app, '/readyz');

    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { redis: 'ok' } });
  });

  it('when its own Redis does not answer, then the gateway is not ready', async () => {
    // A port nothing listens on: every ping fails.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { app } = gatewayWith(`redis://127.0.0.1:${port}`);

    const ready = await get(app, '/readyz');

    expect(ready.status).toBe(503);
    expect(ready.body.checks.redis).toMatch(/^failing/);
  });
});
