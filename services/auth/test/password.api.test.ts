import type { SessionResource } from '@expe/contracts';
import { revokedSessionKey } from '@expe/server-kit';
import { countRows } from '@expe/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  errorOf,
  harnessPerFile,
  mailbox,
  registered,
  sessionIdOf,
  testPassword,
  uniqueEmail,
  userOf,
  waitForMail,
} from './support/harness.js';

const h = harnessPerFile('auth_password');

const newPassword = 'an entirely new passphrase';

const login = (email: string, password: string) =>
  h.call<SessionResource>('POST', '/v1/auth/login', { body: { email, password } });

const refresh = (refreshToken: string) =>
  h.call('POST', '/v1/auth/refresh', { body: { refresh_token: refreshToken } });

const requestReset = (email: string) =>
  h.call('POST', '/v1/auth/password-reset/request', { body: { email } });

const confirmReset = (token: string, password = newPassword) =>
  h.call('POST', '/v1/auth/password-reset/confirm', { body: { token, password } });

describe('POST /v1/auth/password-reset/request', () => {
  it('when the email is known or unknown, then the answer is the same 202 {} without a token', async () => {
    const known = uniqueEmail('known');
    await registered(h.call, { email: known });
    const unknown = uniqueEmail('unknown');

    const forKnown = await requestReset(known);
    const forUnknown = await requestReset(unknown);

    for (const response of [forKnown, forUnknown]) {
      expect(response.status).toBe(202);
      expect(response.text).toBe('{}');
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    expect(forKnown.headers.get('content-length')).toBe(forUnknown.headers.get('content-length'));
    const mail = await waitForMail(h.call, known, 'password_reset');
    expect(forKnown.text).not.toContain(mail.token);
    expect(await mailbox(h.call, unknown)).toEqual([]);
  });

  it('when a reset is requested, then only the token hash is stored', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });

    await requestReset(email);
    const mail = await waitForMail(h.call, email, 'password_reset');

    expect(
      await countRows(h.database.url, 'auth.one_time_tokens', `token_hash = '${mail.token}'`),
    ).toBe(0);
    expect(
      await countRows(
        h.database.url,
        'auth.one_time_tokens',
        `user_id = '${session.user.id}' and purpose = 'password_reset'`,
      ),
    ).toBe(1);
  });
});

describe('POST /v1/auth/password-reset/confirm', () => {
  it('when the token is valid, then the password changes and every session is signed out', async () => {
    const email = uniqueEmail();
    const first = await registered(h.call, { email });
    const second = (await login(email, testPassword)).body;
    await requestReset(email);
    const { token } = await waitForMail(h.call, email, 'password_reset');

    const response = await confirmReset(token);

    expect(response.status).toBe(204);
    expect((await refresh(first.refresh_token)).status).toBe(401);
    expect((await refresh(second.refresh_token)).status).toBe(401);
    expect(await h.redis.exists(revokedSessionKey(sessionIdOf(first)))).toBe(1);
    expect(await h.redis.exists(revokedSessionKey(sessionIdOf(second)))).toBe(1);
    expect((await login(email, testPassword)).status).toBe(401);
    const withNew = await login(email, newPassword);
    expect(withNew.status).toBe(200);
    // Resetting by mail proves the mailbox.
    expect(withNew.body.user.email_verified).toBe(true);
  });

  it('when the token is used a second time, then 400 token_invalid naming token', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });
    await requestReset(email);
    const { token } = await waitForMail(h.call, email, 'password_reset');
    expect((await confirmReset(token)).status).toBe(204);

    const again = await confirmReset(token, 'yet another passphrase');

    expect(again.status).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'token_invalid', param: 'token' });
    expect((await login(email, newPassword)).status).toBe(200);
  });

  it('when the token has expired, then 400 token_invalid and the old password still works', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });
    await requestReset(email);
    const { token } = await waitForMail(h.call, email, 'password_reset');
    await expireResetTokens(session.user.id);

    const response = await confirmReset(token);

    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'token_invalid', param: 'token' });
    expect((await login(email, testPassword)).status).toBe(200);
    expect((await refresh(session.refresh_token)).status).toBe(200);
  });

  it('when an email-verification token is sent, then it cannot reset the password', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });
    const [verification] = await mailbox(h.call, email);

    const response = await confirmReset(verification?.token ?? '');

    expect(response.status).toBe(400);
    expect((await login(email, testPassword)).status).toBe(200);
  });

  it('when the user was locked out by failed logins, then the reset lets them in', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });
    for (let i = 0; i < 5; i++) await login(email, `guess number ${i}`);
    expect((await login(email, testPassword)).status).toBe(429);
    await requestReset(email);
    const { token } = await waitForMail(h.call, email, 'password_reset');

    await confirmReset(token);

    expect((await login(email, newPassword)).status).toBe(200);
  });
});

describe('POST /v1/auth/password', () => {
  it('when the current password is right, then 204, other sessions end and this one stays', async () => {
    const email = uniqueEmail();
    const current = await registered(h.call, { email });
    const other = (await login(email, testPassword)).body;

    const response = await h.call('POST', '/v1/auth/password', {
      as: userOf(current),
      body: { current_password: testPassword, new_password: newPassword },
    });

    expect(response.status).toBe(204);
    expect((await refresh(other.refresh_token)).status).toBe(401);
    expect(await h.redis.exists(revokedSessionKey(sessionIdOf(other)))).toBe(1);
    expect(await h.redis.exists(revokedSessionKey(sessionIdOf(current)))).toBe(0);
    expect((await refresh(current.refresh_token)).status).toBe(200);
    expect((await login(email, testPassword)).status).toBe(401);
    expect((await login(email, newPassword)).status).toBe(200);
  });

  it('when the current password is wrong, then 400 naming current_password and nothing changes', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });

    const response = await h.call('POST', '/v1/auth/password', {
      as: userOf(session),
      body: { current_password: 'not my password', new_password: newPassword },
    });

    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({
      code: 'parameter_invalid',
      param: 'current_password',
    });
    expect((await login(email, testPassword)).status).toBe(200);
  });

  it('when nobody is signed in, then 401 authentication_required', async () => {
    const response = await h.call('POST', '/v1/auth/password', {
      body: { current_password: testPassword, new_password: newPassword },
    });

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('authentication_required');
  });
});

async function expireResetTokens(userId: string): Promise<void> {
  const client = new pg.Client({ connectionString: h.database.url });
  await client.connect();
  try {
    await client.query(
      `update auth.one_time_tokens set expires_at = now() - interval '1 second'
       where user_id = $1 and purpose = 'password_reset'`,
      [userId],
    );
  } finally {
    await client.end();
  }
}
