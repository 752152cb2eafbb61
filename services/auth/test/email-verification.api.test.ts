import type { UserResource } from '@expe/contracts';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  errorOf,
  harnessPerFile,
  mailbox,
  registered,
  uniqueEmail,
  userOf,
  waitForMail,
} from './support/harness.js';

const h = harnessPerFile('auth_verify');

const verify = (token: string) =>
  h.call<UserResource>('POST', '/v1/auth/verify-email', { body: { token } });

async function verificationToken(email: string): Promise<string> {
  const mail = (await mailbox(h.call, email)).find((m) => m.kind === 'email_verification');
  if (!mail) throw new Error(`no verification mail for ${email}`);
  return mail.token;
}

describe('POST /v1/auth/verify-email', () => {
  it('when the token from the mail is sent, then the email is verified', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });

    const response = await verify(await verificationToken(email));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: session.user.id,
      object: 'user',
      email_verified: true,
    });
    const me = await h.call<UserResource>('GET', '/v1/auth/me', { as: userOf(session) });
    expect(me.body.email_verified).toBe(true);
  });

  it('when the token is used a second time, then 400 token_invalid naming token', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });
    const token = await verificationToken(email);
    expect((await verify(token)).status).toBe(200);

    const again = await verify(token);

    expect(again.status).toBe(400);
    expect(errorOf(again)).toMatchObject({ code: 'token_invalid', param: 'token' });
  });

  it('when the token has expired, then 400 token_invalid and the email stays unverified', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });
    await expireOneTimeTokens(session.user.id);

    const response = await verify(await verificationToken(email));

    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('token_invalid');
    const me = await h.call<UserResource>('GET', '/v1/auth/me', { as: userOf(session) });
    expect(me.body.email_verified).toBe(false);
  });

  it('when the token is unknown, then 400 token_invalid', async () => {
    const response = await verify('z'.repeat(40));

    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe('token_invalid');
  });

  it('when a password-reset token is sent, then it does not verify the email', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });
    await h.call('POST', '/v1/auth/password-reset/request', { body: { email } });
    const resetMail = await waitForMail(h.call, email, 'password_reset');

    const response = await verify(resetMail.token);

    expect(response.status).toBe(400);
  });
});

describe('POST /v1/auth/verify-email/resend', () => {
  it('when a signed-in, unverified user asks, then 202 and a new mail whose token works', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });

    const response = await h.call('POST', '/v1/auth/verify-email/resend', { as: userOf(session) });

    expect(response.status).toBe(202);
    expect(response.body).toEqual({});
    const mails = await mailbox(h.call, email);
    expect(mails.filter((m) => m.kind === 'email_verification')).toHaveLength(2);
    expect((await verify(mails[0]?.token ?? '')).status).toBe(200);
  });

  it('when the email is already verified, then 202 and no new mail', async () => {
    const email = uniqueEmail();
    const session = await registered(h.call, { email });
    await verify(await verificationToken(email));

    const response = await h.call('POST', '/v1/auth/verify-email/resend', { as: userOf(session) });

    expect(response.status).toBe(202);
    expect(await mailbox(h.call, email)).toHaveLength(1);
  });

  it('when nobody is signed in, then 401 authentication_required', async () => {
    const response = await h.call('POST', '/v1/auth/verify-email/resend');

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('authentication_required');
  });
});

async function expireOneTimeTokens(userId: string): Promise<void> {
  const client = new pg.Client({ connectionString: h.database.url });
  await client.connect();
  try {
    await client.query(
      `update auth.one_time_tokens set expires_at = now() - interval '1 second' where user_id = $1`,
      [userId],
    );
  } finally {
    await client.end();
  }
}
