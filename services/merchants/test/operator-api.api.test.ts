import { randomUUID } from 'node:crypto';
import type { ApiKeyResource, MerchantResource, ProjectResource } from '@expe/contracts';
import { countRows } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  asService,
  expectError,
  merchantUser,
  parameterError,
  startTestService,
  type ApiClient,
  type TestService,
} from './support.js';

let service: TestService;
let call: ApiClient;
const operator = asService('operator');

beforeAll(async () => {
  service = await startTestService('operator-api');
  call = apiClient(service.url);
});

afterAll(async () => {
  await service.stop();
});

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
