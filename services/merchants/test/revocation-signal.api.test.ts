import {
  createRedis,
  prefixedChannel,
  realtimeChannels,
  sha256Hex,
  type CredentialRevocation,
  type Redis,
} from '@expe/server-kit';
import { testRedisUrl } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  asService,
  clientOf,
  createApiKey,
  createProject,
  servicePerFile,
  signUpMerchant,
} from './support.js';

// Every way an API key ends is published on the revocations channel (issue 21), so the gateways
// close the WebSockets subscribed with it; test/websocket-revocation.e2e.test.ts follows the
// message to the sockets.

const service = servicePerFile('merchants_revocation_signal');
const call = clientOf(service);
let listener: Redis;
const heard: CredentialRevocation[] = [];

beforeAll(async () => {
  listener = createRedis(testRedisUrl);
  listener.on('message', (_channel: string, payload: string) =>
    heard.push(JSON.parse(payload) as CredentialRevocation),
  );
  await listener.subscribe(prefixedChannel(service.redisPrefix, realtimeChannels.revocations()));
});

// Before the service stops (after-hooks run in reverse).
afterAll(() => {
  listener?.disconnect();
});

const heardFor = (id: string) =>
  vi.waitUntil(() => heard.find((message) => message.ids.includes(id)), {
    timeout: 5_000,
    interval: 10,
  });

async function keyOfNewMerchant() {
  const merchant = await signUpMerchant(call);
  const project = await createProject(call, merchant);
  return { merchant, project, key: await createApiKey(call, merchant, project.id) };
}

describe('the revocation signal of merchants', () => {
  it('when a key is revoked, then its id is published with reason api_key_revoked', async () => {
    const { merchant, project, key } = await keyOfNewMerchant();

    await call('DELETE', `/v1/projects/${project.id}/api_keys/${key.id}`, { as: merchant.user });

    expect(await heardFor(key.id)).toEqual({
      kind: 'api_key',
      ids: [key.id],
      reason: 'api_key_revoked',
    });
  });

  it('when a key is rolled with a grace period, then the old secret’s hash is published with the end of the grace', async () => {
    const { merchant, project, key } = await keyOfNewMerchant();
    const before = Date.now();

    const rolled = await call<{ secret: string }>(
      'POST',
      `/v1/projects/${project.id}/api_keys/${key.id}/roll`,
      { as: merchant.user, body: { expires_in: 3600 } },
    );

    expect(rolled.status).toBe(200);
    const message = await heardFor(sha256Hex(key.secret));
    expect(message).toMatchObject({ kind: 'api_key_secret', reason: 'api_key_rolled' });
    expect(Date.parse(message.at ?? '') - before).toBeGreaterThanOrEqual(3_599_000);
    expect(heard.some((m) => m.ids.includes(sha256Hex(rolled.body.secret)))).toBe(false);
  });

  it('when a project is deleted, then its id is published with reason project_deleted', async () => {
    const { merchant, project } = await keyOfNewMerchant();

    await call('DELETE', `/v1/projects/${project.id}`, { as: merchant.user });

    expect(await heardFor(project.id)).toEqual({
      kind: 'project',
      ids: [project.id],
      reason: 'project_deleted',
    });
  });

  it('when the operator deactivates a merchant, then its id is published with reason merchant_deactivated', async () => {
    const { merchant } = await keyOfNewMerchant();

    await call('POST', '/internal/merchants/deactivate', {
      as: asService('operator'),
      body: { merchant_id: merchant.id },
    });

    expect(await heardFor(merchant.id)).toEqual({
      kind: 'merchant',
      ids: [merchant.id],
      reason: 'merchant_deactivated',
    });
  });
});
