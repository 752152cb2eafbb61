import { describe, expect, it } from 'vitest';
import { platformPerFile, uniqueEmail } from './support/test-platform.js';

// Deleted or disabled users (issue 11, finding 8): deactivating an account revokes every session
// it has, so an access token that has not expired yet stops working at the gateway at once
// (the gateway checks the session's revocation per request), and the password no longer signs in.

const adminEmail = uniqueEmail('admin');
const t = platformPerFile({ ADMIN_EMAILS: adminEmail });

const password = 'correct horse battery';

async function register(email = uniqueEmail('user')) {
  const response = await t.api('POST', '/v1/auth/register', {
    body: { email, password, name: 'Someone' },
  });
  expect(response.status, response.text).toBe(201);
  return { email, ...response.body } as {
    email: string;
    access_token: string;
    refresh_token: string;
    user: { id: string };
  };
}

const topUp = (token: string) =>
  t.api('POST', '/v1/wallet/topup', { token, body: { amount: 1_000 } });

async function expectLockedOut(account: Awaited<ReturnType<typeof register>>) {
  const money = await topUp(account.access_token);
  expect(money.status, money.text).toBe(401);
  expect((await t.api('GET', '/v1/wallet', { token: account.access_token })).status).toBe(401);
  expect((await t.api('GET', '/v1/auth/me', { token: account.access_token })).status).toBe(401);
  const login = await t.api('POST', '/v1/auth/login', {
    body: { email: account.email, password },
  });
  expect(login.status).toBe(401);
  expect(login.body.error.code).toBe('invalid_credentials');
  const refresh = await t.api('POST', '/v1/auth/refresh', {
    body: { refresh_token: account.refresh_token },
  });
  expect(refresh.status).toBe(401);
}

describe('DELETE /v1/auth/me', () => {
  it('when a user deletes their account, then their still-valid access token cannot top up, and the password no longer signs in', async () => {
    const account = await register();
    const second = await t.api('POST', '/v1/auth/login', {
      body: { email: account.email, password },
    });
    expect(second.status).toBe(200);
    expect((await topUp(account.access_token)).status).toBe(201);

    const deleted = await t.api('DELETE', '/v1/auth/me', { token: account.access_token });

    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toEqual({ id: account.user.id, object: 'user', deleted: true });
    await expectLockedOut(account);
    // Every session, not only the one that asked.
    expect((await topUp(second.body.access_token)).status).toBe(401);
  });

  it('when nobody is signed in, then 401 and nothing is deleted', async () => {
    expect((await t.api('DELETE', '/v1/auth/me')).status).toBe(401);
  });
});

describe('POST /v1/admin/users/:id/disable', () => {
  it('when an admin disables a user, then that user’s still-valid access token cannot top up and the password no longer signs in', async () => {
    const admin = await register(adminEmail);
    const account = await register();
    expect((await topUp(account.access_token)).status).toBe(201);

    const disabled = await t.api('POST', `/v1/admin/users/${account.user.id}/disable`, {
      token: admin.access_token,
    });

    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body).toMatchObject({ id: account.user.id, object: 'user', disabled: true });
    await expectLockedOut(account);
  });

  it('when someone who is not an admin tries, then 403 and the user keeps working', async () => {
    const mallory = await register();
    const account = await register();

    const response = await t.api('POST', `/v1/admin/users/${account.user.id}/disable`, {
      token: mallory.access_token,
    });

    expect(response.status).toBe(403);
    expect((await topUp(account.access_token)).status).toBe(201);
  });
});
