import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiVersions, latestApiVersion } from '@expe/contracts';
import { onboardMerchant, startTestPlatform, type TestPlatform } from './support/test-platform.js';

// Expe-Version through the real gateway (issue 13): validated, echoed, and without the header the
// version pinned on the key's project. The key cache is off so a re-pinned project shows at once.
let t: TestPlatform;
let db: pg.Client;

beforeAll(async () => {
  t = await startTestPlatform({ API_KEY_CACHE_TTL_MS: '0' });
  db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await t?.close();
});

const oldest = apiVersions[0];

describe('Expe-Version', () => {
  it('when a project is created, then it is pinned to the latest version, and its key gets that version without the header', async () => {
    const merchant = await onboardMerchant(t, 'versions');

    const list = await t.api('GET', '/v1/payments', { token: merchant.key.secret });

    expect(merchant.project.api_version).toBe(latestApiVersion);
    expect(list.status).toBe(200);
    expect(list.headers.get('expe-version')).toBe(latestApiVersion);
  });

  it('when the request names a known version, then that version answers, even a refusal', async () => {
    const merchant = await onboardMerchant(t, 'explicit-version');

    const ok = await t.api('GET', '/v1/payments', {
      token: merchant.key.secret,
      headers: { 'Expe-Version': oldest },
    });
    const refused = await t.api('GET', '/v1/payments', {
      token: 'sk_test_0000000000000000000000000',
      headers: { 'Expe-Version': oldest },
    });

    expect(ok.headers.get('expe-version')).toBe(oldest);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('expe-version')).toBe(oldest);
  });

  it('when the project is pinned to an older version, then requests without the header get it', async () => {
    const merchant = await onboardMerchant(t, 'pinned-version');
    await db.query('update merchants.projects set api_version = $1 where id = $2', [
      oldest,
      merchant.project.id,
    ]);

    const response = await t.api('GET', '/v1/balance', { token: merchant.key.secret });

    expect(response.headers.get('expe-version')).toBe(oldest);
  });

  it.each(['2020-01-01', 'latest', '2026-11-28T00:00:00Z', ''])(
    'when the version is %j, then 400 api_version_invalid on Expe-Version and nothing is written',
    async (version) => {
      const merchant = await onboardMerchant(t, 'bad-version');

      const response = await t.api('POST', '/v1/payments', {
        token: merchant.key.secret,
        headers: { 'Expe-Version': version },
        body: { amount: 1_000, currency: 'inr' },
      });
      const list = await t.api('GET', '/v1/payments', { token: merchant.key.secret });

      expect(response.status, response.text).toBe(400);
      expect(response.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'api_version_invalid',
        param: 'Expe-Version',
      });
      expect(list.body.data).toEqual([]);
    },
  );

  it('when a person calls without a project, then the latest version answers', async () => {
    const merchant = await onboardMerchant(t, 'person-version');

    const me = await t.api('GET', '/v1/auth/me', { token: merchant.token });

    expect(me.status).toBe(200);
    expect(me.headers.get('expe-version')).toBe(latestApiVersion);
  });
});
