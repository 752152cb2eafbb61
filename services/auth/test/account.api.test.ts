import { generateKeyPairSync } from 'node:crypto';
import type { SessionResource } from '@expe/contracts';
import { identityHeader, signIdentity } from '@expe/server-kit';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { isDevMailboxEnabled, loadAuthConfig } from '../src/index.js';
import {
  authEnv,
  errorOf,
  harnessPerFile,
  mailbox,
  refreshCookieOf,
  registered,
  testPassword,
  uniqueEmail,
  userOf,
  waitForMail,
  type ApiResponse,
  type MailResource,
} from './support/harness.js';

const h = harnessPerFile('auth_account');

describe('GET /v1/auth/me', () => {
  it('when a user is signed in, then exactly the user resource comes back', async () => {
    const session = await registered(h.call, { name: 'Meera Nair' });

    const response = await h.call('GET', '/v1/auth/me', { as: userOf(session) });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: session.user.id,
      object: 'user',
      email: session.user.email,
      name: 'Meera Nair',
      role: 'user',
      vpa: session.user.vpa,
      email_verified: false,
      created: expect.any(Number),
    });
    expect(Math.abs((response.body.created as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('when nobody is signed in, then 401 authentication_required', async () => {
    const response = await h.call('GET', '/v1/auth/me');

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('authentication_required');
  });

  it('when an API key calls, then 401: the endpoint is for people', async () => {
    const response = await h.call('GET', '/v1/auth/me', {
      as: {
        kind: 'api_key',
        keyId: 'key_01kb3v4y7m9q2x8c5d6e7f8g9h',
        keyType: 'secret',
        merchantId: 'mer_01kb3v4y7m9q2x8c5d6e7f8g9h',
        projectId: 'prj_01kb3v4y7m9q2x8c5d6e7f8g9h',
        mode: 'test',
      },
    });

    expect(response.status).toBe(401);
  });
});

describe('the gateway credential', () => {
  it('when a request comes without the gateway header, then 401 gateway_credential_required', async () => {
    const response = await h.call('POST', '/v1/auth/login', {
      as: null,
      body: { email: uniqueEmail(), password: testPassword },
    });

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('gateway_credential_required');
  });

  it('when the header is signed with another key, then 401 gateway_credential_required', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = signIdentity(
      { issuer: 'gateway', privateKey },
      { kind: 'anonymous' },
      { audience: 'auth' },
    );

    const response = await h.call('GET', '/v1/auth/me', {
      as: null,
      headers: { [identityHeader]: forged },
    });

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('gateway_credential_required');
  });

  it('when a probe asks /healthz or /readyz, then no credential is needed', async () => {
    const health = await h.call('GET', '/healthz', { as: null });
    const ready = await h.call('GET', '/readyz', { as: null });

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ checks: { postgres: 'ok', redis: 'ok' } });
  });
});

describe('GET /v1/dev/mailbox', () => {
  it('when mails exist for several addresses, then only that address is listed, newest first', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });
    await registered(h.call);
    await h.call('POST', '/v1/auth/verify-email/resend', { as: userOf(session) });
    await h.call('POST', '/v1/auth/password-reset/request', { body: { email } });
    await waitForMail(h.call, email, 'password_reset');

    const response = await h.call<{ object: string; data: MailResource[]; has_more: boolean }>(
      'GET',
      `/v1/dev/mailbox?email=${encodeURIComponent(email.toUpperCase())}`,
    );

    expect(response.status).toBe(200);
    expect(response.body.object).toBe('list');
    expect(response.body.has_more).toBe(false);
    expect(response.body.data.map((m) => m.kind)).toEqual([
      'password_reset',
      'email_verification',
      'email_verification',
    ]);
    expect(response.body.data.every((m) => m.to === email)).toBe(true);
  });

  it('when limit is smaller than the number of mails, then has_more is true', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });
    await h.call('POST', '/v1/auth/verify-email/resend', { as: userOf(session) });

    const response = await h.call<{ data: MailResource[]; has_more: boolean }>(
      'GET',
      `/v1/dev/mailbox?email=${encodeURIComponent(email)}&limit=1`,
    );

    expect(response.body.data).toHaveLength(1);
    expect(response.body.has_more).toBe(true);
  });

  it('when running in production, then the mailbox does not exist and no mail is kept', async () => {
    const { call } = await h.startVariant({ NODE_ENV: 'production', DEV_MAILBOX: 'true' });
    const email = uniqueEmail('prod');

    await registered(call, { email });
    await call('POST', '/v1/auth/password-reset/request', { body: { email } });
    const response = await call('GET', `/v1/dev/mailbox?email=${encodeURIComponent(email)}`);

    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('route_not_found');
    // The reset token is written after the answer: wait for it, then look for mails.
    await expect
      .poll(() =>
        countRows(
          h.database.url,
          'auth.one_time_tokens t join auth.users u on u.id = t.user_id',
          `u.email = '${email}'`,
        ),
      )
      .toBe(2);
    expect(await countRows(h.database.url, 'auth.mails', `to_email = '${email}'`)).toBe(0);
  });

  it('when DEV_MAILBOX is not set, then the mailbox is off (only npm start on loopback turns it on)', () => {
    const env = authEnv('postgres://unused/db', 'unused:');
    delete env.DEV_MAILBOX;

    expect(isDevMailboxEnabled(loadAuthConfig(env))).toBe(false);
    expect(isDevMailboxEnabled(loadAuthConfig({ ...env, DEV_MAILBOX: 'true' }))).toBe(true);
    expect(
      isDevMailboxEnabled(loadAuthConfig({ ...env, DEV_MAILBOX: 'true', NODE_ENV: 'production' })),
    ).toBe(false);
  });

  it('when DEV_MAILBOX is false, then the mailbox does not exist', async () => {
    const { call } = await h.startVariant({ DEV_MAILBOX: 'false' });

    const response = await call(
      'GET',
      `/v1/dev/mailbox?email=${encodeURIComponent(uniqueEmail())}`,
    );

    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe('route_not_found');
  });
});

describe('password hashes', () => {
  it('when a user goes through every flow, then no response carries a password or its hash', async () => {
    const email = uniqueEmail();
    const responses: ApiResponse<unknown>[] = [];
    const record = async <T>(pending: Promise<ApiResponse<T>>) => {
      const response = await pending;
      responses.push(response);
      return response;
    };
    const registration = await record(
      h.call<SessionResource>('POST', '/v1/auth/register', {
        body: { email, name: 'Hash Check', password: testPassword },
      }),
    );
    const login = await record(
      h.call<SessionResource>('POST', '/v1/auth/login', {
        body: { email, password: testPassword },
      }),
    );
    const as = userOf(login.body);
    await record(h.call('GET', '/v1/auth/me', { as }));
    await record(
      h.call('POST', '/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } }),
    );
    const [verification] = await mailbox(h.call, email);
    await record(h.call('POST', '/v1/auth/verify-email', { body: { token: verification?.token } }));
    await record(h.call('GET', `/v1/dev/mailbox?email=${encodeURIComponent(email)}`));
    await record(
      h.call('POST', '/v1/auth/password', {
        as,
        body: { current_password: 'wrong password', new_password: 'whatever it is now' },
      }),
    );
    await record(
      h.call('POST', '/v1/auth/logout', {
        headers: { cookie: refreshCookieOf(registration) ?? '' },
      }),
    );

    expect(responses).toHaveLength(8);
    for (const response of responses) {
      expect(response.text).not.toMatch(/\$2[aby]\$\d\d\$/);
      expect(response.text).not.toContain('password_hash');
      expect(response.text).not.toContain(testPassword);
    }
  });
});
