import { randomUUID } from 'node:crypto';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { clientOf, createProject, expectError, servicePerFile, signUpMerchant } from './support.js';

const service = servicePerFile('merchants_idempotency', { MAX_PROJECTS_PER_MERCHANT: '3' });
const call = clientOf(service);

describe('Idempotency-Key on the console POSTs', () => {
  it('when a project create is retried with its key, then one project exists and the first answer is replayed byte for byte', async () => {
    const merchant = await signUpMerchant(call);
    const key = randomUUID();
    const send = () =>
      call('POST', '/v1/projects', {
        as: merchant.user,
        body: { name: 'Checkout' },
        idempotencyKey: key,
      });

    const first = await send();
    const again = await send();

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchant.id}'`),
    ).toBe(1);
  });

  it('when the same key comes with another body, then it is 422 idempotency_key_reused and nothing is created', async () => {
    const merchant = await signUpMerchant(call);
    const key = randomUUID();
    await call('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'A' },
      idempotencyKey: key,
    });

    const reused = await call('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'B' },
      idempotencyKey: key,
    });

    expectError(reused, 422, 'idempotency_key_reused');
    expect(reused.body.error.type).toBe('idempotency_error');
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchant.id}'`),
    ).toBe(1);
  });

  it("when another merchant's user sends the same key, then it is their own request: keys are scoped per caller", async () => {
    const first = await signUpMerchant(call);
    const second = await signUpMerchant(call);
    const key = randomUUID();
    const body = { name: 'Shared key' };

    const a = await call('POST', '/v1/projects', { as: first.user, body, idempotencyKey: key });
    const b = await call('POST', '/v1/projects', { as: second.user, body, idempotencyKey: key });

    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('when a refusal (project limit) is retried with its key, then the same refusal is replayed even after room was made', async () => {
    const merchant = await signUpMerchant(call);
    const projects = [];
    for (let i = 0; i < 3; i++) projects.push(await createProject(call, merchant, `P${i}`));
    const key = randomUUID();
    const send = () =>
      call('POST', '/v1/projects', {
        as: merchant.user,
        body: { name: 'Over' },
        idempotencyKey: key,
      });

    const refused = await send();
    await call('DELETE', `/v1/projects/${projects[0]!.id}`, { as: merchant.user });
    const replayed = await send();

    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(replayed.status).toBe(refused.status);
    expect(replayed.text).toBe(refused.text);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('when an API key create is replayed, then the same secret is shown again but the stored answer does not hold it in clear', async () => {
    const merchant = await signUpMerchant(call);
    const project = await createProject(call, merchant);
    const key = randomUUID();
    const send = () =>
      call('POST', `/v1/projects/${project.id}/api_keys`, {
        as: merchant.user,
        body: { name: 'Server', mode: 'test' },
        idempotencyKey: key,
      });

    const first = await send();
    const again = await send();

    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.body.secret).toBe(first.body.secret);
    expect(
      await countRows(
        service.databaseUrl,
        'merchants.idempotency_keys',
        `position('${String(first.body.secret)}' in response_body) > 0`,
      ),
    ).toBe(0);
    expect(
      await countRows(service.databaseUrl, 'merchants.api_keys', `project_id = '${project.id}'`),
    ).toBe(1);
  });

  it('when the key is longer than 255 characters, then it is 400 naming Idempotency-Key and nothing is created', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call('POST', '/v1/projects', {
      as: merchant.user,
      body: { name: 'Long key' },
      idempotencyKey: 'k'.repeat(256),
    });

    expectError(response, 400, 'parameter_invalid', 'Idempotency-Key');
    expect(
      await countRows(service.databaseUrl, 'merchants.projects', `merchant_id = '${merchant.id}'`),
    ).toBe(0);
  });
});
