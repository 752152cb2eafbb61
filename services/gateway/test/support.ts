import { randomBytes } from 'node:crypto';
import { loadGatewayConfig } from '../src/config.js';
import { startGateway } from '../src/index.js';
import { testRedisUrl, testSecrets, testIdentityEnv } from '@expe/testing';
import type { RunningService } from '@expe/server-kit';

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
