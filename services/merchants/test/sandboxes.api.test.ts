import type { ProjectResource } from '@expe/contracts';
import { sha256Hex } from '@expe/server-kit';
import { queryRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  asService,
  clientOf,
  createApiKey,
  expectError,
  servicePerFile,
  signUpMerchant,
} from './support.js';

// Sandboxes: projects with a time to live. Their end is made to have come by moving expires_at
// into the past in the database (a TTL is at least a minute); what follows is the service's own.
const service = servicePerFile('merchants_sandboxes');
const call = clientOf(service);

async function newSandbox(ttlSeconds = 3_600) {
  const merchant = await signUpMerchant(call);
  const response = await call<ProjectResource>('POST', '/v1/projects', {
    as: merchant.user,
    body: { name: 'CI run 42', ttl_seconds: ttlSeconds },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { merchant, project: response.body };
}

const endNow = (projectId: string) =>
  queryRows(
    service.databaseUrl,
    `update merchants.projects set expires_at = now() - interval '1 second' where id = $1`,
    [projectId],
  );

const resolve = (key: string) =>
  call('POST', '/internal/api-keys/resolve', {
    as: asService('gateway'),
    body: { hash: sha256Hex(key) },
  });

const ended = () =>
  call<{ data: { project_id: string; merchant_id: string }[] }>(
    'GET',
    '/internal/sandboxes/ended?limit=100',
    { as: asService('payments') },
  );

describe('POST /v1/projects with ttl_seconds', () => {
  it('when a merchant creates a sandbox, then it ends ttl_seconds from now and lists with expires_at', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { merchant, project } = await newSandbox(3_600);

    expect(project.expires_at).toBeGreaterThanOrEqual(before + 3_600);
    expect(project.expires_at).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3_600);
    const list = await call<{ data: ProjectResource[] }>('GET', '/v1/projects', {
      as: merchant.user,
    });
    expect(list.body.data.map((p) => [p.id, p.expires_at])).toContainEqual([
      project.id,
      project.expires_at,
    ]);
  });

  it.each([
    ['shorter than a minute', 59],
    ['longer than 30 days', 30 * 24 * 3600 + 1],
    ['not whole seconds', 90.5],
    ['not a number', '3600'],
  ])('when the time to live is %s, then 400 naming ttl_seconds and no project', async (_, ttl) => {
    const merchant = await signUpMerchant(call);

    const response = await call('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'Bad', ttl_seconds: ttl },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.param).toBe('ttl_seconds');
    const [{ n }] = (await queryRows(
      service.databaseUrl,
      'select count(*)::int as n from merchants.projects where merchant_id = $1',
      [merchant.id],
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('when a live key is asked of a sandbox, then 400 naming mode: a sandbox has test keys only', async () => {
    const { merchant, project } = await newSandbox();

    const response = await call('POST', `/v1/projects/${project.id}/api_keys`, {
      as: merchant.user,
      body: { name: 'Server', mode: 'live' },
    });

    expectError(response, 400, 'parameter_invalid', 'mode');
    expect((await createApiKey(call, merchant, project.id, 'test')).secret).toMatch(/^sk_test_/);
  });
});

describe('the end of a sandbox', () => {
  it('when its end has come, then its keys resolve as expired_api_key saying so, and it is listed as ended for payments', async () => {
    const { merchant, project } = await newSandbox();
    const key = await createApiKey(call, merchant, project.id, 'test');
    expect((await resolve(key.secret)).status).toBe(200);

    await endNow(project.id);

    const resolved = await resolve(key.secret);
    expectError(resolved, 404, 'expired_api_key');
    expect(resolved.body.error.message).toMatch(/sandbox/);
    expectError(await resolve(key.publishable), 404, 'expired_api_key');
    expect((await ended()).body.data).toContainEqual({
      project_id: project.id,
      merchant_id: merchant.id,
    });
    expectError(
      await call('POST', `/v1/projects/${project.id}/api_keys`, {
        as: merchant.user,
        body: { name: 'Late', mode: 'test' },
      }),
      400,
      'parameter_invalid',
      'mode',
    );
  });

  it('when payments reports it archived, then the project is deleted, its keys revoked, and a second report is 404', async () => {
    const { merchant, project } = await newSandbox();
    const key = await createApiKey(call, merchant, project.id, 'test');
    await endNow(project.id);

    const report = () =>
      call('POST', `/internal/sandboxes/${project.id}/archived`, { as: asService('payments') });
    const first = await report();

    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expectError(await report(), 404, 'resource_missing');
    expect((await ended()).body.data.map((entry) => entry.project_id)).not.toContain(project.id);
    expectError(
      await call('GET', `/v1/projects/${project.id}`, { as: merchant.user }),
      404,
      'resource_missing',
    );
    expectError(await resolve(key.secret), 404, 'invalid_api_key');
  });

  it('when a sandbox is deleted early, then it ends now, so payments still archives it', async () => {
    const { merchant, project } = await newSandbox();

    const deleted = await call('DELETE', `/v1/projects/${project.id}`, { as: merchant.user });

    expect(deleted.status).toBe(200);
    expect((await ended()).body.data.map((entry) => entry.project_id)).toContain(project.id);
  });

  it('when a project without a time to live is deleted, or a sandbox has not ended, then it is not listed as ended', async () => {
    const merchant = await signUpMerchant(call);
    const lasting = await call<ProjectResource>('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'Lasting' },
    });
    await call('DELETE', `/v1/projects/${lasting.body.id}`, { as: merchant.user });
    const { project: running } = await newSandbox();

    const ids = (await ended()).body.data.map((entry) => entry.project_id);

    expect(ids).not.toContain(lasting.body.id);
    expect(ids).not.toContain(running.id);
  });

  it('when anyone but payments asks, then 403 and nothing is reported', async () => {
    const { project } = await newSandbox();
    await endNow(project.id);

    for (const caller of ['gateway', 'auth', 'operator']) {
      expectError(
        await call('GET', '/internal/sandboxes/ended', { as: asService(caller) }),
        403,
        'permission_denied',
      );
      expectError(
        await call('POST', `/internal/sandboxes/${project.id}/archived`, {
          as: asService(caller),
        }),
        403,
        'permission_denied',
      );
    }
    expect((await ended()).body.data.map((entry) => entry.project_id)).toContain(project.id);
  });
});
