import type { MerchantResource } from '@expe/contracts';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  anonymous,
  apiKeyPrincipal,
  asService,
  clientOf,
  expectError,
  merchantUser,
  newUserId,
  parameterError,
  plainUser,
  servicePerFile,
  signUpMerchant,
} from './support.js';

const service = servicePerFile('merchants_me');
const call = clientOf(service);

describe('GET /v1/merchants/me', () => {
  it('when a merchant user asks, then their merchant profile comes back', async () => {
    const merchant = await signUpMerchant(call, 'Chai Point');

    const response = await call<MerchantResource>('GET', '/v1/merchants/me', { as: merchant.user });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: merchant.id,
      object: 'merchant',
      name: 'Chai Point',
      email: merchant.user.email,
      created: expect.any(Number),
    });
    expect(response.body.id).toMatch(/^mer_[0-9a-z]{26}$/);
  });

  it('when a merchant user has no merchant record, then 404 resource_missing', async () => {
    const response = await call('GET', '/v1/merchants/me', { as: merchantUser() });

    expectError(response, 404, 'resource_missing');
  });

  it('when a user without the merchant role asks, then 403 permission_denied', async () => {
    const response = await call('GET', '/v1/merchants/me', { as: plainUser() });

    expectError(response, 403, 'permission_denied');
  });

  it('when nobody is signed in, then 401 authentication_required', async () => {
    const response = await call('GET', '/v1/merchants/me', { as: anonymous });

    expectError(response, 401, 'authentication_required');
  });

  it('when the request did not come through the gateway, then 401 gateway_credential_required', async () => {
    const response = await call('GET', '/v1/merchants/me', { as: null });

    expectError(response, 401, 'gateway_credential_required');
  });
});

describe('POST /v1/merchants/me', () => {
  it('when the merchant renames itself, then the new name is stored and returned trimmed', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call<MerchantResource>('POST', '/v1/merchants/me', {
      as: merchant.user,
      body: { name: '  Dosa Express  ' },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: merchant.id, name: 'Dosa Express' });
    const again = await call<MerchantResource>('GET', '/v1/merchants/me', { as: merchant.user });
    expect(again.body.name).toBe('Dosa Express');
  });

  it.each([
    ['an empty name', { name: '   ' }, 'parameter_invalid', 'name'],
    ['a too long name', { name: 'x'.repeat(101) }, 'parameter_invalid', 'name'],
    ['a number as name', { name: 42 }, parameterError, 'name'],
    ['no name', {}, 'parameter_missing', 'name'],
    ['an unknown field', { name: 'Fine', email: 'x@example.com' }, 'parameter_unknown', 'email'],
  ])(
    'when the body has %s, then 400 names the field and nothing changes',
    async (_, body, code, param) => {
      const merchant = await signUpMerchant(call, 'Unchanged');

      const response = await call('POST', '/v1/merchants/me', { as: merchant.user, body });

      expectError(response, 400, code, param);
      expect(
        await countRows(
          service.databaseUrl,
          'merchants.merchants',
          `id = '${merchant.id}' and name = 'Unchanged'`,
        ),
      ).toBe(1);
    },
  );

  it('when the body is not JSON, then 400 invalid_json', async () => {
    const merchant = await signUpMerchant(call);

    const response = await call('POST', '/v1/merchants/me', {
      as: merchant.user,
      rawBody: '{"name":',
    });

    expectError(response, 400, 'invalid_json');
  });

  it('when a plain user tries, then 403 and anonymous gets 401', async () => {
    expectError(
      await call('POST', '/v1/merchants/me', { as: plainUser(), body: { name: 'X' } }),
      403,
      'permission_denied',
    );
    expectError(
      await call('POST', '/v1/merchants/me', { as: anonymous, body: { name: 'X' } }),
      401,
      'authentication_required',
    );
  });
});

describe('POST /internal/merchants', () => {
  it('when auth creates the merchant of a new user, then 201 and the merchant resource', async () => {
    const userId = newUserId();

    const response = await call<MerchantResource>('POST', '/internal/merchants', {
      as: asService('auth'),
      body: { owner_user_id: userId, name: 'Kirana', email: 'Owner@Example.com' },
    });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      object: 'merchant',
      name: 'Kirana',
      email: 'owner@example.com',
    });
    expect(
      await countRows(service.databaseUrl, 'merchants.merchants', `owner_user_id = '${userId}'`),
    ).toBe(1);
  });

  it('when the same owner is sent again, then 200 with the same merchant', async () => {
    const userId = newUserId();
    const body = { owner_user_id: userId, name: 'Kirana', email: 'owner@example.com' };
    const first = await call<MerchantResource>('POST', '/internal/merchants', {
      as: asService('auth'),
      body,
    });

    const second = await call<MerchantResource>('POST', '/internal/merchants', {
      as: asService('auth'),
      body,
    });

    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body).toEqual(first.body);
  });

  it('when 20 calls for one owner race, then exactly one merchant exists and all answers agree', async () => {
    const userId = newUserId();
    const body = { owner_user_id: userId, name: 'Racer', email: 'racer@example.com' };

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        call<MerchantResource>('POST', '/internal/merchants', { as: asService('auth'), body }),
      ),
    );

    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(
      await countRows(service.databaseUrl, 'merchants.merchants', `owner_user_id = '${userId}'`),
    ).toBe(1);
  });

  it('when the operator sends an external ref, then the merchant is keyed by it, idempotently', async () => {
    const ref = `k8s-uid-${newUserId()}`;
    const body = { external_ref: ref, name: 'Operated', email: 'ops@example.com' };

    const first = await call<MerchantResource>('POST', '/internal/merchants', {
      as: asService('operator'),
      body,
    });
    const second = await call<MerchantResource>('POST', '/internal/merchants', {
      as: asService('operator'),
      body,
    });

    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    expect(
      await countRows(service.databaseUrl, 'merchants.merchants', `external_ref = '${ref}'`),
    ).toBe(1);
  });

  it.each([
    [
      'both owner and ref',
      { owner_user_id: 'usr_0123456789abcdef', external_ref: 'x' },
      'parameter_invalid',
      'owner_user_id',
    ],
    ['neither owner nor ref', {}, 'parameter_invalid', 'owner_user_id'],
    ['a malformed owner id', { owner_user_id: 'user-1' }, 'parameter_invalid', 'owner_user_id'],
    ['an empty external ref', { external_ref: '  ' }, 'parameter_invalid', 'external_ref'],
    [
      'a bad email',
      { owner_user_id: 'usr_0123456789abcdef', email: 'nope' },
      'parameter_invalid',
      'email',
    ],
    [
      'no name',
      { owner_user_id: 'usr_0123456789abcdef', name: undefined },
      'parameter_missing',
      'name',
    ],
    [
      'an unknown field',
      { owner_user_id: 'usr_0123456789abcdef', role: 'admin' },
      'parameter_unknown',
      'role',
    ],
  ])(
    'when the body has %s, then 400 names the field and no merchant is written',
    async (_, extra, code, param) => {
      const before = await countRows(service.databaseUrl, 'merchants.merchants');

      const response = await call('POST', '/internal/merchants', {
        as: asService('auth'),
        body: { name: 'Bad Input', email: 'bad@example.com', ...extra },
      });

      expectError(response, 400, code, param);
      expect(await countRows(service.databaseUrl, 'merchants.merchants')).toBe(before);
    },
  );

  it.each([
    ['a merchant user', merchantUser()],
    ['an API key', apiKeyPrincipal({ id: 'key_x', project: 'prj_x', mode: 'test' }, 'mer_x')],
    ['a service that is not allowed', asService('gateway')],
  ])('when %s calls, then 403 permission_denied and nothing is written', async (_, principal) => {
    const userId = newUserId();

    const response = await call('POST', '/internal/merchants', {
      as: principal,
      body: { owner_user_id: userId, name: 'Sneaky', email: 'sneaky@example.com' },
    });

    expectError(response, 403, 'permission_denied');
    expect(
      await countRows(service.databaseUrl, 'merchants.merchants', `owner_user_id = '${userId}'`),
    ).toBe(0);
  });

  it('when called without the gateway credential, then 401', async () => {
    const response = await call('POST', '/internal/merchants', {
      as: null,
      body: { owner_user_id: newUserId(), name: 'Direct', email: 'direct@example.com' },
    });

    expectError(response, 401, 'gateway_credential_required');
  });
});

describe('GET /internal/merchants/:id and /internal/merchants/by-owner/:user_id', () => {
  it('when payments asks by id or by owner, then the merchant comes back', async () => {
    const userId = newUserId();
    const created = await call<MerchantResource>('POST', '/internal/merchants', {
      as: asService('auth'),
      body: { owner_user_id: userId, name: 'Chai Point', email: 'chai@example.com' },
    });

    const byId = await call<MerchantResource>('GET', `/internal/merchants/${created.body.id}`, {
      as: asService('payments'),
    });
    const byOwner = await call<MerchantResource>('GET', `/internal/merchants/by-owner/${userId}`, {
      as: asService('payments'),
    });

    expect(byId).toMatchObject({ status: 200, body: created.body });
    expect(byOwner).toMatchObject({ status: 200, body: created.body });
  });

  it('when the merchant does not exist, then 404; when the id is malformed, then 400', async () => {
    const missing = await call('GET', '/internal/merchants/mer_01kb3v4y7m9q2x8c5d6e7f8g9h', {
      as: asService('payments'),
    });
    const noOwner = await call('GET', `/internal/merchants/by-owner/${newUserId()}`, {
      as: asService('payments'),
    });
    const malformed = await call('GET', '/internal/merchants/not-an-id', {
      as: asService('payments'),
    });

    expectError(missing, 404, 'resource_missing');
    expectError(noOwner, 404, 'resource_missing');
    expectError(malformed, 400, 'parameter_invalid');
  });

  it('when a service not on the list or a person asks, then 403', async () => {
    const response = await call('GET', `/internal/merchants/by-owner/${newUserId()}`, {
      as: asService('auth'),
    });

    expectError(response, 403, 'permission_denied');
  });
});
