import { createHash, randomUUID } from 'node:crypto';
import type { ApiKeyResource, MerchantResource, ProjectResource } from '@expe/contracts';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  asService,
  clientOf,
  expectError,
  merchantUser,
  parameterError,
  servicePerFile,
} from './support.js';

const service = servicePerFile('operator-api');
const call = clientOf(service);
const operator = asService('operator');

async function operatorMerchant(): Promise<string> {
  const response = await call<MerchantResource>('POST', '/internal/merchants', {
    as: operator,
    body: { external_ref: randomUUID(), name: 'Operated', email: 'ops@example.com' },
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function ensureProject(merchantId: string, name = 'Storefront') {
  return call<ProjectResource>('POST', `/internal/merchants/${merchantId}/projects/ensure`, {
    as: operator,
    body: { name },
  });
}

async function ensureKey(merchantId: string, projectId: string, name = 'server', mode = 'test') {
  return call<ApiKeyResource>(
    'POST',
    `/internal/merchants/${merchantId}/projects/${projectId}/api_keys/ensure`,
    { as: operator, body: { name, mode } },
  );
}

describe('operator internal API', () => {
  it('when a project is ensured twice, then the first call creates it and the second returns it', async () => {
    const merchantId = await operatorMerchant();

    const first = await ensureProject(merchantId);
    const second = await ensureProject(merchantId);

    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchantId}'`),
    ).toBe(1);
  });

  it('when 10 ensures of one project race, then exactly one project exists', async () => {
    const merchantId = await operatorMerchant();

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => ensureProject(merchantId, 'Racy')),
    );

    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchantId}'`),
    ).toBe(1);
  });

  it('when a key is ensured twice, then only the creating answer carries secret and publishable', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;

    const first = await ensureKey(merchantId, project.id);
    const second = await ensureKey(merchantId, project.id);

    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^sk_test_/);
    expect(first.body.publishable).toMatch(/^pk_test_/);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body).not.toHaveProperty('secret');
    expect(second.body).not.toHaveProperty('publishable');
    expect(
      await countRows(service.databaseUrl, 'merchants.api_keys', `project_id = '${project.id}'`),
    ).toBe(1);
  });

  it('when the same key name is ensured in another mode, then that is a different key', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;

    const test = await ensureKey(merchantId, project.id, 'server', 'test');
    const live = await ensureKey(merchantId, project.id, 'server', 'live');

    expect([test.status, live.status]).toEqual([201, 201]);
    expect(live.body.id).not.toBe(test.body.id);
    expect(live.body.mode).toBe('live');
  });

  it('when a key is revoked, then GET shows it revoked and ensure creates a fresh one', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;
    const key = (await ensureKey(merchantId, project.id)).body;
    const path = `/internal/merchants/${merchantId}/projects/${project.id}/api_keys/${key.id}`;

    const revoked = await call<ApiKeyResource>('DELETE', path, { as: operator });
    const read = await call<ApiKeyResource>('GET', path, { as: operator });
    const again = await ensureKey(merchantId, project.id);

    expect(revoked.body.status).toBe('revoked');
    expect(read.body).toMatchObject({ id: key.id, status: 'revoked' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(key.id);
  });

  it('when a key is reissued, then the old one is revoked and a new one of the same name has a new secret', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;
    const key = (await ensureKey(merchantId, project.id)).body;
    const path = `/internal/merchants/${merchantId}/projects/${project.id}/api_keys/${key.id}`;

    const reissued = await call<ApiKeyResource>('POST', `${path}/reissue`, { as: operator });
    const old = await call<ApiKeyResource>('GET', path, { as: operator });
    const ensured = await ensureKey(merchantId, project.id);

    expect(reissued.status).toBe(201);
    expect(reissued.body).toMatchObject({ name: 'server', mode: 'test', status: 'active' });
    expect(reissued.body.secret).toMatch(/^sk_test_/);
    expect(reissued.body.secret).not.toBe(key.secret);
    expect(old.body.status).toBe('revoked');
    expect(ensured.body.id).toBe(reissued.body.id);
  });

  it('when the profile is updated, then name and email change', async () => {
    const merchantId = await operatorMerchant();

    const response = await call<MerchantResource>('POST', `/internal/merchants/${merchantId}`, {
      as: operator,
      body: { name: 'Renamed', email: 'New@Example.com' },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Renamed', email: 'new@example.com' });
  });

  it('when another service or a user calls, then 403 and nothing is written', async () => {
    const merchantId = await operatorMerchant();

    const byAuth = await call('POST', `/internal/merchants/${merchantId}/projects/ensure`, {
      as: asService('auth'),
      body: { name: 'Nope' },
    });
    const byUser = await call('POST', `/internal/merchants/${merchantId}/projects/ensure`, {
      as: merchantUser(),
      body: { name: 'Nope' },
    });

    expect([byAuth.status, byUser.status]).toEqual([403, 403]);
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchantId}'`),
    ).toBe(0);
  });

  it('when the merchant or project is unknown, then 404', async () => {
    const merchantId = await operatorMerchant();

    const noMerchant = await ensureProject('mer_01jzzzzzzzzzzzzzzzzzzzzzzz');
    const noProject = await ensureKey(merchantId, 'prj_01jzzzzzzzzzzzzzzzzzzzzzzz');

    expectError(noMerchant, 404, 'resource_missing');
    expectError(noProject, 404, 'resource_missing');
  });

  it('when the key mode is unknown, then 400 naming mode and no key is written', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;

    const response = await ensureKey(merchantId, project.id, 'server', 'staging');

    expectError(response, 400, parameterError, 'mode');
    expect(
      await countRows(service.databaseUrl, 'merchants.api_keys', `project_id = '${project.id}'`),
    ).toBe(0);
  });
});

describe('operator internal API: deactivation and rotation', () => {
  const gateway = asService('gateway');
  const resolve = (secret: string) =>
    call('POST', '/internal/api-keys/resolve', {
      as: gateway,
      body: { hash: createHash('sha256').update(secret).digest('hex') },
    });

  it('when a merchant is deactivated by external ref, then every key of every project is revoked and no new key can be issued', async () => {
    const externalRef = `shop/acme/${randomUUID()}`;
    const merchant = await call<MerchantResource>('POST', '/internal/merchants', {
      as: operator,
      body: { external_ref: externalRef, name: 'Acme', email: 'acme@example.com' },
    });
    const first = (await ensureProject(merchant.body.id, 'Storefront')).body;
    const second = (await ensureProject(merchant.body.id, 'Backoffice')).body;
    // Keys the resource's status may never have recorded, and the operator's own key.
    const keys = [
      (await ensureKey(merchant.body.id, first.id, 'server')).body,
      (await ensureKey(merchant.body.id, first.id, 'expe-operator')).body,
      (await ensureKey(merchant.body.id, second.id, 'late', 'live')).body,
    ];
    for (const key of keys) expect((await resolve(key.secret!)).status).toBe(200);

    const deactivated = await call<any>('POST', '/internal/merchants/deactivate', {
      as: operator,
      body: { external_ref: externalRef },
    });

    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({
      revoked_keys: 3,
      merchant: { id: merchant.body.id, deactivated: true },
    });
    for (const key of keys) expect((await resolve(key.secret!)).status).not.toBe(200);
    expect((await ensureKey(merchant.body.id, first.id, 'another')).status).toBe(409);
    const again = await call<any>('POST', '/internal/merchants/deactivate', {
      as: operator,
      body: { merchant_id: merchant.body.id },
    });
    expect(again.body).toMatchObject({ revoked_keys: 0, merchant: { deactivated: true } });
  });

  it('when an unknown merchant is deactivated, then the answer says there was none', async () => {
    const response = await call<any>('POST', '/internal/merchants/deactivate', {
      as: operator,
      body: { external_ref: `nobody/${randomUUID()}` },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ object: 'deactivation', merchant: null, revoked_keys: 0 });
  });

  it('when a deactivation names both or neither of merchant_id and external_ref, then 400 names the field', async () => {
    const response = await call('POST', '/internal/merchants/deactivate', {
      as: operator,
      body: {},
    });

    expectError(response, 400, parameterError, 'merchant_id');
  });

  it('when a key is rolled with an overlap, then old and new secrets both work, and a roll without one ends the current secret at once', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;
    const key = (await ensureKey(merchantId, project.id)).body;
    const rollPath = `/internal/merchants/${merchantId}/projects/${project.id}/api_keys/${key.id}/roll`;

    const rolled = await call<ApiKeyResource>('POST', rollPath, {
      as: operator,
      body: { expires_in: 3600 },
    });

    expect(rolled.status).toBe(200);
    expect(rolled.body.id).toBe(key.id);
    expect(rolled.body.secret).toMatch(/^sk_test_/);
    expect(rolled.body.secret).not.toBe(key.secret);
    expect((await resolve(key.secret!)).status).toBe(200);
    expect((await resolve(rolled.body.secret!)).status).toBe(200);

    const hard = await call<ApiKeyResource>('POST', rollPath, {
      as: operator,
      body: { expires_in: 0 },
    });

    // The secret that was current stops now; the first keeps the window it was given.
    expect((await resolve(rolled.body.secret!)).status).not.toBe(200);
    expect((await resolve(hard.body.secret!)).status).toBe(200);
    expect((await resolve(key.secret!)).status).toBe(200);
  });

  it('when a service other than the operator rolls a key, then it is refused', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureProject(merchantId)).body;
    const key = (await ensureKey(merchantId, project.id)).body;

    const response = await call(
      'POST',
      `/internal/merchants/${merchantId}/projects/${project.id}/api_keys/${key.id}/roll`,
      { as: asService('payments'), body: { expires_in: 60 } },
    );

    expect(response.status).toBe(403);
  });
});

describe('operator internal API: Sandbox projects', () => {
  const gateway = asService('gateway');
  const resolve = (secret: string) =>
    call<{ project_id: string }>('POST', '/internal/api-keys/resolve', {
      as: gateway,
      body: { hash: createHash('sha256').update(secret).digest('hex') },
    });
  const inOneHour = () => Math.floor(Date.now() / 1000) + 3_600;
  const ensureSandbox = (merchantId: string, body: Record<string, unknown>) =>
    call<ProjectResource>('POST', `/internal/merchants/${merchantId}/sandboxes/ensure`, {
      as: operator,
      body,
    });

  it('when a sandbox is ensured twice with its end, then one project exists that ends then, and a plain project of that name is not taken for it', async () => {
    const merchantId = await operatorMerchant();
    const plain = (await ensureProject(merchantId, 'sandbox ci/run-1 abc')).body;
    const expiresAt = inOneHour();

    const first = await ensureSandbox(merchantId, {
      name: 'sandbox ci/run-1 abc',
      expires_at: expiresAt,
    });
    const second = await ensureSandbox(merchantId, {
      name: 'sandbox ci/run-1 abc',
      expires_at: expiresAt + 60,
    });

    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    expect(first.body.id).not.toBe(plain.id);
    expect(second.body.expires_at).toBe(expiresAt);
    expect((await ensureKey(merchantId, first.body.id, 'sandbox', 'live')).status).toBe(400);
  });

  it('when the end is past, more than 30 days away or not a number, then 400 naming expires_at and nothing is created', async () => {
    const merchantId = await operatorMerchant();
    const now = Math.floor(Date.now() / 1000);

    const past = await ensureSandbox(merchantId, { name: 'late', expires_at: now - 1 });
    const far = await ensureSandbox(merchantId, { name: 'far', expires_at: now + 31 * 86_400 });
    const text = await ensureSandbox(merchantId, { name: 'text', expires_at: '1h' });

    expectError(past, 400, parameterError, 'expires_at');
    expectError(far, 400, parameterError, 'expires_at');
    expectError(text, 400, parameterError, 'expires_at');
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchantId}'`),
    ).toBe(0);
  });

  it('when the operator deletes a sandbox project, then its keys stop at once and a second delete is 404', async () => {
    const merchantId = await operatorMerchant();
    const project = (await ensureSandbox(merchantId, { name: 'short', expires_at: inOneHour() }))
      .body;
    const key = (await ensureKey(merchantId, project.id, 'sandbox')).body;
    expect((await resolve(key.secret!)).status).toBe(200);

    const deleted = await call(
      'DELETE',
      `/internal/merchants/${merchantId}/projects/${project.id}`,
      {
        as: operator,
      },
    );
    const again = await call('DELETE', `/internal/merchants/${merchantId}/projects/${project.id}`, {
      as: operator,
    });

    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: project.id, object: 'project', deleted: true });
    expect((await resolve(key.secret!)).status).not.toBe(200);
    expectError(again, 404, 'resource_missing');
  });

  it('when a service other than the operator ensures or deletes a sandbox, then 403 and nothing is written', async () => {
    const merchantId = await operatorMerchant();

    const ensured = await call('POST', `/internal/merchants/${merchantId}/sandboxes/ensure`, {
      as: gateway,
      body: { name: 'nope', expires_at: inOneHour() },
    });

    expect(ensured.status).toBe(403);
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchantId}'`),
    ).toBe(0);
  });
});
