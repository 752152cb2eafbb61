import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMerchantsConfig, startMerchants } from '@expe/merchants';
import { openEmbeddedPostgres, type RunningService } from '@expe/server-kit';
import { createTestRedisPrefix, testRedisUrl, testSecrets, testIdentityEnv } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig, startAuth } from '../src/index.js';
import { apiClient, authEnv, register, userOf, type Call } from './support/harness.js';

/**
 * `npm start` without DATABASE_URL runs every service on one embedded PGlite, which is a single
 * connection: a transaction held open across the call to the merchants service would keep that
 * service from writing and the registration would time out.
 */
let dataDir: string;
let pglite: Awaited<ReturnType<typeof openEmbeddedPostgres>>;
const redis = createTestRedisPrefix('auth_embedded');
let merchants: RunningService;
let auth: RunningService;
let call: Call;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'expe-auth-pglite-'));
  pglite = await openEmbeddedPostgres(dataDir);
  merchants = await startMerchants(
    loadMerchantsConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      INTERNAL_AUTH_SECRET: testSecrets.internalAuth.reveal(),
      ...testIdentityEnv('merchants'),
      DATABASE_POOL_SIZE: '5',
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    }),
    { pglite },
  );
  const { DATABASE_URL: _unset, ...env } = authEnv('', redis.prefix, {
    MERCHANTS_URL: merchants.url,
  });
  auth = await startAuth(loadAuthConfig(env), { pglite });
  call = apiClient(auth.url);
});

afterAll(async () => {
  await auth?.close();
  await merchants?.close();
  await pglite?.close();
  await redis.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('one embedded database shared by auth and merchants', () => {
  it('when a merchant registers, then both the user and the merchant are created', async () => {
    const response = await register(call, { name: 'Embedded Shop', role: 'merchant' });

    expect(response.status).toBe(201);
    const merchant = await apiClient(merchants.url)('GET', '/v1/merchants/me', {
      as: userOf(response.body),
    });
    expect(merchant.status).toBe(200);
    expect(merchant.body).toMatchObject({ object: 'merchant', name: 'Embedded Shop' });
  });
});
