import type { ApiKeyResource } from '@expe/contracts';
import { sha256Hex } from '@expe/server-kit';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  apiKeyPrincipal,
  asService,
  clientOf,
  createApiKey,
  createProject,
  expectError,
  itRefusesNonMerchants,
  merchantUser,
  parameterError,
  servicePerFile,
  signUpMerchant,
  sleep,
  type TestMerchant,
} from './support.js';

const maxKeys = 3;

interface KeyList {
  object: 'list';
  data: ApiKeyResource[];
  has_more: boolean;
}

const service = servicePerFile('merchants_keys', {
  MAX_KEYS_PER_PROJECT: String(maxKeys),
  API_KEY_LAST_USED_RESOLUTION_SECONDS: '60',
});
const call = clientOf(service);

const count = (table: 'api_keys' | 'api_key_secrets', where = 'true') =>
  countRows(service.databaseUrl, `merchants.${table}`, where);

const resolve = (key: string) =>
  call('POST', '/internal/api-keys/resolve', {
    as: asService('gateway'),
    body: { hash: sha256Hex(key) },
  });

async function merchantWithProject(): Promise<{ merchant: TestMerchant; projectId: string }> {
  const merchant = await signUpMerchant(call);
  const project = await createProject(call, merchant);
  return { merchant, projectId: project.id };
}

describe('POST /v1/projects/:id/api_keys', () => {
  it('when a test key is created, then the secret is shown once in sk_test_/pk_test_ format', async () => {
    const { merchant, projectId } = await merchantWithProject();

    const response = await call<ApiKeyResource>('POST', `/v1/projects/${projectId}/api_keys`, {
      as: merchant.user,
      body: { name: ' Backend ', mode: 'test' },
    });

    expect(response.status).toBe(201);
    const key = response.body;
    expect(key).toEqual({
      id: expect.stringMatching(/^key_[0-9a-z]{26}$/),
      object: 'api_key',
      name: 'Backend',
      mode: 'test',
      project: projectId,
      secret: expect.stringMatching(/^sk_test_[0-9A-Za-z]{32}$/),
      secret_masked: `sk_test_…${key.secret?.slice(-4)}`,
      publishable: expect.stringMatching(/^pk_test_[0-9A-Za-z]{24}$/),
      status: 'active',
      expiring_secrets: [],
      last_used: null,
      created: expect.any(Number),
    });
  });

  it('when a live key is created, then it uses the sk_live_/pk_live_ prefixes', async () => {
    const { merchant, projectId } = await merchantWithProject();

    const key = await createApiKey(call, merchant, projectId, 'live');

    expect(key.secret).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(key.publishable).toMatch(/^pk_live_[0-9A-Za-z]{24}$/);
    expect(key.secret_masked).toBe(`sk_live_…${key.secret.slice(-4)}`);
  });

  it('when a key is created, then only the hash of its secret is stored', async () => {
    const { merchant, projectId } = await merchantWithProject();

    const key = await createApiKey(call, merchant, projectId);

    expect(await count('api_key_secrets', `secret_hash = '${sha256Hex(key.secret)}'`)).toBe(1);
    expect(
      await count(
        'api_key_secrets',
        `secret_hash = '${key.secret}' or secret_last4 = '${key.secret}'`,
      ),
    ).toBe(0);
    expect(await count('api_keys', `publishable_hash = '${sha256Hex(key.publishable)}'`)).toBe(1);
  });

  it.each([
    ['no name', { mode: 'test' }, 'parameter_missing', 'name'],
    ['an empty name', { name: ' ', mode: 'test' }, 'parameter_invalid', 'name'],
    ['a too long name', { name: 'k'.repeat(101), mode: 'test' }, 'parameter_invalid', 'name'],
    ['no mode', { name: 'k' }, parameterError, 'mode'],
    ['an unknown mode', { name: 'k', mode: 'prod' }, 'parameter_invalid', 'mode'],
    ['a mode of the wrong type', { name: 'k', mode: 1 }, parameterError, 'mode'],
    [
      'an unknown field',
      { name: 'k', mode: 'test', scopes: ['all'] },
      'parameter_unknown',
      'scopes',
    ],
  ])(
    'when the body has %s, then 400 names the field and no key is written',
    async (_, body, code, param) => {
      const { merchant, projectId } = await merchantWithProject();

      const response = await call('POST', `/v1/projects/${projectId}/api_keys`, {
        as: merchant.user,
        body,
      });

      expectError(response, 400, code, param);
      expect(await count('api_keys', `project_id = '${projectId}'`)).toBe(0);
      expect(
        await count(
          'api_key_secrets',
          `api_key_id in (select id from merchants.api_keys where project_id = '${projectId}')`,
        ),
      ).toBe(0);
    },
  );

  it('when the project id is malformed, then 400 names id', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call('POST', '/v1/projects/prj-1/api_keys', {
      as: merchant.user,
      body: { name: 'k', mode: 'test' },
    });

    expectError(response, 400, 'parameter_invalid', 'id');
  });

  it(`when the project has ${maxKeys} active keys, then 400 on name; revoked keys do not count`, async () => {
    const { merchant, projectId } = await merchantWithProject();
    const keys = [];
    for (let i = 0; i < maxKeys; i++) keys.push(await createApiKey(call, merchant, projectId));

    const refused = await call('POST', `/v1/projects/${projectId}/api_keys`, {
      as: merchant.user,
      body: { name: 'One too many', mode: 'test' },
    });
    await call('DELETE', `/v1/projects/${projectId}/api_keys/${keys[0]?.id}`, {
      as: merchant.user,
    });
    const accepted = await call('POST', `/v1/projects/${projectId}/api_keys`, {
      as: merchant.user,
      body: { name: 'Replacement', mode: 'test' },
    });

    expectError(refused, 400, 'parameter_invalid', 'name');
    expect(accepted.status).toBe(201);
    expect(await count('api_keys', `project_id = '${projectId}'`)).toBe(maxKeys + 1);
  });
});

describe('GET /v1/projects/:id/api_keys', () => {
  it('when keys are listed, then they are masked, newest first, and no secret appears', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const older = await createApiKey(call, merchant, projectId, 'test');
    const newer = await createApiKey(call, merchant, projectId, 'live');

    const response = await call<KeyList>('GET', `/v1/projects/${projectId}/api_keys`, {
      as: merchant.user,
    });

    expect(response.status).toBe(200);
    expect(response.body.has_more).toBe(false);
    expect(response.body.data.map((key) => key.id)).toEqual([newer.id, older.id]);
    expect(response.body.data[1]).toEqual({ ...older, secret: undefined });
    for (const key of response.body.data) expect(key).not.toHaveProperty('secret');
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(older.secret);
    expect(text).not.toContain(newer.secret);
  });

  it('when keys are paged, then limit, starting_after and ending_before walk the list', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const [k1, k2, k3] = [
      await createApiKey(call, merchant, projectId),
      await createApiKey(call, merchant, projectId),
      await createApiKey(call, merchant, projectId),
    ];
    const path = `/v1/projects/${projectId}/api_keys`;

    const first = await call<KeyList>('GET', `${path}?limit=2`, { as: merchant.user });
    const second = await call<KeyList>('GET', `${path}?limit=2&starting_after=${k2.id}`, {
      as: merchant.user,
    });
    const back = await call<KeyList>('GET', `${path}?limit=2&ending_before=${k1.id}`, {
      as: merchant.user,
    });

    const ids = (page: KeyList) => page.data.map((key) => key.id);
    expect([ids(first.body), first.body.has_more]).toEqual([[k3.id, k2.id], true]);
    expect([ids(second.body), second.body.has_more]).toEqual([[k1.id], false]);
    expect([ids(back.body), back.body.has_more]).toEqual([[k3.id, k2.id], false]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['starting_after=prj_0123456789abcdef', 'starting_after'],
  ])('when the query has %s, then 400 names %s', async (query, param) => {
    const { merchant, projectId } = await merchantWithProject();

    const response = await call('GET', `/v1/projects/${projectId}/api_keys?${query}`, {
      as: merchant.user,
    });

    expectError(response, 400, 'parameter_invalid', param);
  });

  it('when the query has an unknown parameter, then 400 parameter_unknown', async () => {
    const { merchant, projectId } = await merchantWithProject();

    const response = await call('GET', `/v1/projects/${projectId}/api_keys?mode=test`, {
      as: merchant.user,
    });

    expectError(response, 400, 'parameter_unknown', 'mode');
  });
});

describe('DELETE /v1/projects/:id/api_keys/:key_id', () => {
  it('when a key is revoked, then it says revoked and neither of its keys resolves any more', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const key = await createApiKey(call, merchant, projectId);
    expect((await resolve(key.secret)).status).toBe(200);

    const response = await call<ApiKeyResource>(
      'DELETE',
      `/v1/projects/${projectId}/api_keys/${key.id}`,
      {
        as: merchant.user,
      },
    );

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: key.id, status: 'revoked', expiring_secrets: [] });
    expect(response.body).not.toHaveProperty('secret');
    expectError(await resolve(key.secret), 404, 'invalid_api_key');
    expectError(await resolve(key.publishable), 404, 'invalid_api_key');
  });

  it('when a key is revoked twice, then both answers are the same', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const key = await createApiKey(call, merchant, projectId);
    const path = `/v1/projects/${projectId}/api_keys/${key.id}`;

    const first = await call('DELETE', path, { as: merchant.user });
    const second = await call('DELETE', path, { as: merchant.user });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual(first.body);
  });

  it('when the key id is malformed, then 400 names key_id', async () => {
    const { merchant, projectId } = await merchantWithProject();

    const response = await call('DELETE', `/v1/projects/${projectId}/api_keys/sk_test_abc`, {
      as: merchant.user,
    });

    expectError(response, 400, 'parameter_invalid', 'key_id');
  });

  it('when the key belongs to another project of the same merchant, then 404', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const other = await createProject(call, merchant, 'Other');
    const key = await createApiKey(call, merchant, projectId);

    const response = await call('DELETE', `/v1/projects/${other.id}/api_keys/${key.id}`, {
      as: merchant.user,
    });

    expectError(response, 404, 'resource_missing', 'key_id');
    expect(await count('api_keys', `id = '${key.id}' and revoked_at is null`)).toBe(1);
  });
});

/** A merchant's key in a project of its own, and its owner rolling it (no body when left out). */
async function rollableKey() {
  const { merchant, projectId } = await merchantWithProject();
  const key = await createApiKey(call, merchant, projectId);
  const path = `/v1/projects/${projectId}/api_keys/${key.id}`;
  const roll = (body?: Record<string, unknown>) =>
    call<ApiKeyResource>('POST', `${path}/roll`, {
      as: merchant.user,
      ...(body === undefined ? {} : { body }),
    });
  return { merchant, projectId, key, path, roll };
}

describe('POST /v1/projects/:id/api_keys/:key_id/roll', () => {
  it('when a key is rolled, then a new secret is shown and the old one is listed as expiring', async () => {
    const { key, roll } = await rollableKey();
    const before = Math.floor(Date.now() / 1000);

    const response = await roll({ expires_in: 3600 });

    expect(response.status).toBe(200);
    const rolled = response.body;
    expect(rolled.secret).toMatch(/^sk_test_[0-9A-Za-z]{32}$/);
    expect(rolled.secret).not.toBe(key.secret);
    expect(rolled.secret_masked).toBe(`sk_test_…${rolled.secret?.slice(-4)}`);
    expect(rolled.publishable).toBe(key.publishable);
    expect(rolled.expiring_secrets).toEqual([
      { secret_masked: key.secret_masked, expires: expect.any(Number) },
    ]);
    const expires = rolled.expiring_secrets[0]?.expires ?? 0;
    expect(expires - before).toBeGreaterThanOrEqual(3599);
    expect(expires - before).toBeLessThanOrEqual(3601);
  });

  it('when rolled with a grace period, then both secrets resolve to the same key', async () => {
    const { key, roll } = await rollableKey();

    const rolled = await roll({ expires_in: 3600 });

    const oldAnswer = await resolve(key.secret);
    const newAnswer = await resolve(rolled.body.secret ?? '');
    expect([oldAnswer.status, newAnswer.status]).toEqual([200, 200]);
    expect(oldAnswer.body).toEqual(newAnswer.body);
    expect(oldAnswer.body).toMatchObject({ key_id: key.id, key_type: 'secret' });
  });

  it('when the grace period is over, then the old secret resolves as expired_api_key and the new one works', async () => {
    const { merchant, projectId, key, roll } = await rollableKey();
    const rolled = await roll({ expires_in: 3 });
    const expires = rolled.body.expiring_secrets[0]?.expires ?? 0;
    expect((await resolve(key.secret)).status).toBe(200);

    // Polled, not slept: on a busy machine the grace period may end before or after any fixed wait.
    let old = await resolve(key.secret);
    for (const deadline = Date.now() + 20_000; old.status === 200 && Date.now() < deadline;) {
      await sleep(100);
      old = await resolve(key.secret);
    }

    expectError(old, 404, 'expired_api_key');
    expect(Date.now() / 1000).toBeGreaterThanOrEqual(expires - 1);
    expect((await resolve(rolled.body.secret ?? '')).status).toBe(200);
    const list = await call<KeyList>('GET', `/v1/projects/${projectId}/api_keys`, {
      as: merchant.user,
    });
    expect(list.body.data[0]?.expiring_secrets).toEqual([]);
  });

  it('when rolled with expires_in 0, then the old secret stops at once', async () => {
    const { key, roll } = await rollableKey();

    const rolled = await roll({ expires_in: 0 });

    expect(rolled.body.expiring_secrets).toHaveLength(1);
    expectError(await resolve(key.secret), 404, 'expired_api_key');
    expect((await resolve(rolled.body.secret ?? '')).status).toBe(200);
  });

  it('when rolled without a body, then the old secret keeps working for 24 hours', async () => {
    const { roll } = await rollableKey();

    const rolled = await roll();

    expect(rolled.status).toBe(200);
    const expires = rolled.body.expiring_secrets[0]?.expires ?? 0;
    expect(Math.abs(expires - (Date.now() / 1000 + 86_400))).toBeLessThan(5);
  });

  it('when rolled twice, then both older secrets stay listed until they expire', async () => {
    const { key, roll } = await rollableKey();
    const first = await roll({ expires_in: 600 });

    const second = await roll({ expires_in: 300 });

    expect(second.body.expiring_secrets.map((s) => s.secret_masked).sort()).toEqual(
      [key.secret_masked, first.body.secret_masked].sort(),
    );
    for (const secret of [key.secret, first.body.secret, second.body.secret]) {
      expect((await resolve(secret ?? '')).status).toBe(200);
    }
    expect(await count('api_key_secrets', `api_key_id = '${key.id}' and expires_at is null`)).toBe(
      1,
    );
  });

  it('when a revoked key is rolled, then 409 and no secret is added', async () => {
    const { merchant, key, path, roll } = await rollableKey();
    await call('DELETE', path, { as: merchant.user });

    const response = await roll({});

    expectError(response, 409, 'resource_conflict');
    expect(await count('api_key_secrets', `api_key_id = '${key.id}'`)).toBe(1);
  });

  it.each([
    ['a negative expires_in', { expires_in: -1 }, 'parameter_invalid'],
    ['a fractional expires_in', { expires_in: 1.5 }, parameterError],
    ['more than 7 days', { expires_in: 7 * 86_400 + 1 }, 'parameter_invalid'],
    ['a string expires_in', { expires_in: '60' }, parameterError],
  ])(
    'when the body has %s, then 400 names expires_in and nothing changes',
    async (_, body, code) => {
      const { key, roll } = await rollableKey();

      const response = await roll(body);

      expectError(response, 400, code, 'expires_in');
      expect(await count('api_key_secrets', `api_key_id = '${key.id}'`)).toBe(1);
      expect(
        await count('api_key_secrets', `api_key_id = '${key.id}' and expires_at is not null`),
      ).toBe(0);
    },
  );

  it('when the body has an unknown field, then 400 parameter_unknown and nothing changes', async () => {
    const { key, roll } = await rollableKey();

    const response = await roll({ expires_in: 10, revoke: true });

    expectError(response, 400, 'parameter_unknown', 'revoke');
    expect(await count('api_key_secrets', `api_key_id = '${key.id}'`)).toBe(1);
  });
});

describe("another merchant's keys", () => {
  it("when merchant B lists, creates, revokes or rolls in A's project, then 404 and nothing changes", async () => {
    const { merchant: a, projectId } = await merchantWithProject();
    const key = await createApiKey(call, a, projectId);
    const b = await signUpMerchant(call);
    const keyPath = `/v1/projects/${projectId}/api_keys/${key.id}`;

    const responses = [
      await call('GET', `/v1/projects/${projectId}/api_keys`, { as: b.user }),
      await call('POST', `/v1/projects/${projectId}/api_keys`, {
        as: b.user,
        body: { name: 'x', mode: 'test' },
      }),
      await call('DELETE', keyPath, { as: b.user }),
      await call('POST', `${keyPath}/roll`, { as: b.user, body: { expires_in: 0 } }),
    ];

    for (const response of responses) expectError(response, 404, 'resource_missing');
    expect(await count('api_keys', `project_id = '${projectId}'`)).toBe(1);
    expect(await count('api_key_secrets', `api_key_id = '${key.id}' and expires_at is null`)).toBe(
      1,
    );
    expect(await count('api_keys', `id = '${key.id}' and revoked_at is null`)).toBe(1);
  });

  it("when merchant B puts A's key id under its own project, then 404 and A's key still works", async () => {
    const { merchant: a, projectId } = await merchantWithProject();
    const key = await createApiKey(call, a, projectId);
    const { merchant: b, projectId: bProject } = await merchantWithProject();

    const revoke = await call('DELETE', `/v1/projects/${bProject}/api_keys/${key.id}`, {
      as: b.user,
    });
    const roll = await call('POST', `/v1/projects/${bProject}/api_keys/${key.id}/roll`, {
      as: b.user,
      body: { expires_in: 0 },
    });

    expectError(revoke, 404, 'resource_missing', 'key_id');
    expectError(roll, 404, 'resource_missing', 'key_id');
    expect((await resolve(key.secret)).status).toBe(200);
  });
});

describe('who may call the key routes', () => {
  const project = 'prj_01aaaaaaaaaaaaaaaaaaaaaaaa';
  const keyPath = `/v1/projects/${project}/api_keys/key_01aaaaaaaaaaaaaaaaaaaaaaaa`;
  const routes = [
    ['POST', `/v1/projects/${project}/api_keys`, { name: 'x', mode: 'test' }],
    ['GET', `/v1/projects/${project}/api_keys`, undefined],
    ['DELETE', keyPath, undefined],
    ['POST', `${keyPath}/roll`, {}],
  ] as const;

  itRefusesNonMerchants(call, routes);

  it('when a merchant user without a merchant record calls, then 404', async () => {
    expectError(
      await call('GET', `/v1/projects/${project}/api_keys`, { as: merchantUser() }),
      404,
      'resource_missing',
    );
  });
});

describe('POST /internal/api-keys/resolve', () => {
  it('when the gateway resolves a secret key, then it gets the key, merchant, project and mode', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const key = await createApiKey(call, merchant, projectId, 'live');

    const response = await resolve(key.secret);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      key_id: key.id,
      key_type: 'secret',
      merchant_id: merchant.id,
      project_id: projectId,
      mode: 'live',
    });
  });

  it('when the gateway resolves a publishable key, then key_type is publishable', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const key = await createApiKey(call, merchant, projectId);

    const response = await resolve(key.publishable);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ key_id: key.id, key_type: 'publishable', mode: 'test' });
  });

  it('when the hash matches no key, then 404 invalid_api_key', async () => {
    expectError(await resolve('sk_test_doesnotexist0000000000000000'), 404, 'invalid_api_key');
  });

  it("when the key's project was deleted, then 404 invalid_api_key", async () => {
    const { merchant, projectId } = await merchantWithProject();
    const key = await createApiKey(call, merchant, projectId);

    await call('DELETE', `/v1/projects/${projectId}`, { as: merchant.user });

    expectError(await resolve(key.secret), 404, 'invalid_api_key');
    expectError(await resolve(key.publishable), 404, 'invalid_api_key');
  });

  it('when a key is used, then last_used is set, and not rewritten within the resolution window', async () => {
    const { merchant, projectId } = await merchantWithProject();
    const key = await createApiKey(call, merchant, projectId);

    await resolve(key.secret);
    await sleep(1_100);
    await resolve(key.publishable);

    const list = await call<KeyList>('GET', `/v1/projects/${projectId}/api_keys`, {
      as: merchant.user,
    });
    const lastUsed = list.body.data[0]?.last_used ?? 0;
    expect(Math.abs(lastUsed - Date.now() / 1000)).toBeLessThan(5);
    // The second use came more than a second later; had it written, this would not match.
    expect(
      await count('api_keys', `id = '${key.id}' and last_used_at < now() - interval '1 second'`),
    ).toBe(1);
  });

  it.each([
    ['a short hash', { hash: 'abc' }, 'parameter_invalid', 'hash'],
    ['an upper-case hash', { hash: 'A'.repeat(64) }, 'parameter_invalid', 'hash'],
    ['no hash', {}, 'parameter_missing', 'hash'],
    ['an unknown field', { hash: 'a'.repeat(64), key: 'sk_test_x' }, 'parameter_unknown', 'key'],
  ])('when the body has %s, then 400 names the field', async (_, body, code, param) => {
    const response = await call('POST', '/internal/api-keys/resolve', {
      as: asService('gateway'),
      body,
    });

    expectError(response, 400, code, param);
  });

  it.each([
    ['a merchant user', merchantUser()],
    ['an API key', apiKeyPrincipal({ id: 'key_x', project: 'prj_x', mode: 'test' }, 'mer_x')],
    ['the auth service', asService('auth')],
  ])('when %s calls, then 403 permission_denied', async (_, principal) => {
    const response = await call('POST', '/internal/api-keys/resolve', {
      as: principal,
      body: { hash: 'a'.repeat(64) },
    });

    expectError(response, 403, 'permission_denied');
  });

  it('when called without the gateway credential, then 401', async () => {
    const response = await call('POST', '/internal/api-keys/resolve', {
      as: null,
      body: { hash: 'a'.repeat(64) },
    });

    expectError(response, 401, 'gateway_credential_required');
  });
});
