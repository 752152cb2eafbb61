import type { AccountResource } from '@expe/contracts';
import { describe, expect, it } from 'vitest';
import {
  anonymous,
  apiKeyPrincipal,
  asService,
  clientOf,
  createApiKey,
  createProject,
  expectError,
  servicePerFile,
  signUpMerchant,
} from './support.js';

const service = servicePerFile('merchants_account');
const call = clientOf(service);

async function liveKey() {
  const merchant = await signUpMerchant(call);
  const project = await createProject(call, merchant);
  const key = await createApiKey(call, merchant, project.id, 'live');
  return { merchant, project, key };
}

/** The account resource naming the merchant's project, the mode and the key (null: a session). */
const accountOf = (
  merchant: { id: string },
  project: { id: string },
  mode: 'live' | 'test',
  keyId: string | null,
): AccountResource => ({
  object: 'account',
  merchant_id: merchant.id,
  project_id: project.id,
  mode,
  key_id: keyId,
});

describe('GET /v1/account', () => {
  it('when called with a secret key, then it names the merchant, project, mode and key', async () => {
    const { merchant, project, key } = await liveKey();

    const response = await call<AccountResource>('GET', '/v1/account', {
      as: apiKeyPrincipal(key, merchant.id),
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(accountOf(merchant, project, 'live', key.id));
  });

  it("when a merchant user's session acts for the project (Expe-Project), then it names the project and mode and no key", async () => {
    const { merchant, project } = await liveKey();

    const response = await call<AccountResource>('GET', '/v1/account', {
      as: apiKeyPrincipal(
        { id: 'ses_01kb3v4y7m9q2x8c5d6e7f8g9h', project: project.id, mode: 'test' },
        merchant.id,
      ),
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual(accountOf(merchant, project, 'test', null));
  });

  it("when a session acts for a project that is not the merchant's, then 404", async () => {
    const { merchant } = await liveKey();
    const stranger = await liveKey();

    const response = await call('GET', '/v1/account', {
      as: apiKeyPrincipal(
        { id: 'ses_01kb3v4y7m9q2x8c5d6e7f8g9h', project: stranger.project.id, mode: 'test' },
        merchant.id,
      ),
    });

    expect(response.status).toBe(404);
  });

  it('when called with a publishable key, then 403 secret_key_required', async () => {
    const { merchant, key } = await liveKey();

    const response = await call('GET', '/v1/account', {
      as: apiKeyPrincipal(key, merchant.id, 'publishable'),
    });

    expectError(response, 403, 'secret_key_required');
  });

  it('when the key was revoked after the gateway resolved it, then 401 invalid_api_key', async () => {
    const { merchant, project, key } = await liveKey();
    await call('DELETE', `/v1/projects/${project.id}/api_keys/${key.id}`, { as: merchant.user });

    const response = await call('GET', '/v1/account', { as: apiKeyPrincipal(key, merchant.id) });

    expectError(response, 401, 'invalid_api_key');
  });

  it('when the principal names a key that does not exist or another merchant, then 401', async () => {
    const { merchant, key } = await liveKey();
    const other = await signUpMerchant(call);

    const unknownKey = await call('GET', '/v1/account', {
      as: apiKeyPrincipal({ ...key, id: 'key_01aaaaaaaaaaaaaaaaaaaaaaaa' }, merchant.id),
    });
    const wrongMerchant = await call('GET', '/v1/account', { as: apiKeyPrincipal(key, other.id) });

    expectError(unknownKey, 401, 'invalid_api_key');
    expectError(wrongMerchant, 401, 'invalid_api_key');
  });

  it('when called by a signed-in user, a service or nobody, then 401 authentication_required', async () => {
    const merchant = await signUpMerchant(call);

    for (const principal of [merchant.user, asService('gateway'), anonymous]) {
      expectError(
        await call('GET', '/v1/account', { as: principal }),
        401,
        'authentication_required',
      );
    }
  });

  it('when called without the gateway credential, then 401 gateway_credential_required', async () => {
    expectError(await call('GET', '/v1/account', { as: null }), 401, 'gateway_credential_required');
  });
});
