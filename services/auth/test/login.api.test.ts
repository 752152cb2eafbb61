import type { SessionResource } from '@expe/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorOf,
  registered,
  startAuthHarness,
  testPassword,
  uniqueEmail,
  type AuthHarness,
  type Call,
} from './support/harness.js';

let h: AuthHarness;

beforeAll(async () => {
  h = await startAuthHarness('auth_login', { LOGIN_MAX_FAILURES: '3' });
});

afterAll(async () => {
  await h?.stop();
});

const login = (call: Call, email: string, password: string, clientIp?: string) =>
  call<SessionResource>('POST', '/v1/auth/login', {
    body: { email, password },
    ...(clientIp ? { clientIp } : {}),
  });

describe('POST /v1/auth/login', () => {
  it('when the email and password are right, then 200 with a new session', async () => {
    const email = uniqueEmail();
    const account = await registered(h.call, { email });

    const response = await login(h.call, email, testPassword);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      user: { id: account.user.id, email },
    });
    expect(response.body.refresh_token).not.toBe(account.refresh_token);
  });

  it('when the email is typed in another case, then it still signs in', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });

    const response = await login(h.call, email.toUpperCase(), testPassword);

    expect(response.status).toBe(200);
  });

  it('when the password is wrong or the email unknown, then the same 401 invalid_credentials', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });

    const wrongPassword = await login(h.call, email, 'not the password at all');
    const unknownEmail = await login(h.call, uniqueEmail('nobody'), testPassword);

    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(errorOf(wrongPassword)).toMatchObject({
      type: 'authentication_error',
      code: 'invalid_credentials',
    });
    const { request_id: _a, ...wrong } = errorOf(wrongPassword);
    const { request_id: _b, ...unknown } = errorOf(unknownEmail);
    expect(unknown).toEqual(wrong);
  });
});

describe('failed-login throttle', () => {
  it('when an email has too many failures, then even the right password gets 429 with Retry-After', async () => {
    const email = uniqueEmail('victim');
    await registered(h.call, { email });
    for (let i = 0; i < 3; i++) {
      expect((await login(h.call, email, `wrong password ${i}`)).status).toBe(401);
    }

    const response = await login(h.call, email, testPassword);

    expect(response.status).toBe(429);
    expect(errorOf(response)).toMatchObject({
      type: 'rate_limit_error',
      code: 'too_many_login_attempts',
    });
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(response.headers.get('ratelimit-limit')).toBe('3');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('when one email is throttled, then other accounts still sign in', async () => {
    const blocked = uniqueEmail('blocked');
    const other = uniqueEmail('other');
    await registered(h.call, { email: blocked });
    await registered(h.call, { email: other });
    for (let i = 0; i < 3; i++) await login(h.call, blocked, 'wrong password');

    const response = await login(h.call, other, testPassword);

    expect(response.status).toBe(200);
  });

  it('when a sign-in succeeds, then the email starts again from zero failures', async () => {
    const email = uniqueEmail();
    await registered(h.call, { email });
    await login(h.call, email, 'wrong password 1');
    await login(h.call, email, 'wrong password 2');
    expect((await login(h.call, email, testPassword)).status).toBe(200);

    // Without the reset these would be failures 3 and 4 of 3.
    await login(h.call, email, 'wrong password 3');
    await login(h.call, email, 'wrong password 4');
    const response = await login(h.call, email, testPassword);

    expect(response.status).toBe(200);
  });

  it('when one client IP fails on many emails, then that IP is throttled and others are not', async () => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const email = uniqueEmail();
    await registered(h.call, { email });
    for (let i = 0; i < 3; i++) await login(h.call, uniqueEmail('spray'), 'guess guess', ip);

    const fromThatIp = await login(h.call, email, testPassword, ip);
    const fromAnotherIp = await login(h.call, email, testPassword, '198.51.100.7');

    expect(fromThatIp.status).toBe(429);
    expect(fromThatIp.headers.get('retry-after')).not.toBeNull();
    expect(fromAnotherIp.status).toBe(200);
  });

  it('when the window has passed, then the right password signs in again', async () => {
    const { call } = await h.startVariant({
      LOGIN_MAX_FAILURES: '2',
      LOGIN_FAILURE_WINDOW_SECONDS: '1',
    });
    const email = uniqueEmail();
    await registered(call, { email });
    await login(call, email, 'wrong password 1');
    await login(call, email, 'wrong password 2');
    const blocked = await login(call, email, testPassword);
    expect(blocked.status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const response = await login(call, email, testPassword);

    expect(response.status).toBe(200);
  });
});
