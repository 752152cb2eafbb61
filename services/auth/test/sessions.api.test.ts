import type { SessionResource } from '@expe/contracts';
import { revokedSessionKey } from '@expe/server-kit';
import { countRows } from '@expe/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  errorOf,
  harnessPerFile,
  refreshCookieOf,
  register,
  registered,
  sessionIdOf,
} from './support/harness.js';

const h = harnessPerFile('auth_sessions');

const refresh = (refreshToken: string) =>
  h.call<SessionResource>('POST', '/v1/auth/refresh', { body: { refresh_token: refreshToken } });

const refreshWithCookie = (cookie: string) =>
  h.call<SessionResource>('POST', '/v1/auth/refresh', { headers: { cookie } });

/** The refresh tokens of a session's family that are not revoked. */
const liveTokensOf = (sessionId: string) =>
  countRows(
    h.database.url,
    'auth.refresh_tokens',
    `family_id = '${sessionId}' and revoked_at is null`,
  );

const logout = (refreshToken: string) =>
  h.call('POST', '/v1/auth/logout', { body: { refresh_token: refreshToken } });

describe('POST /v1/auth/refresh', () => {
  it('when a refresh token is presented, then a new session of the same family comes back', async () => {
    const first = await registered(h.call);

    const response = await refresh(first.refresh_token);

    expect(response.status).toBe(200);
    const second = response.body;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.user).toEqual(first.user);
    expect(sessionIdOf(second)).toBe(sessionIdOf(first));
    expect((await refresh(second.refresh_token)).status).toBe(200);
  });

  it('when a spent token is presented again, then the family is revoked: 401 refresh_token_reused', async () => {
    const first = await registered(h.call);
    const second = (await refresh(first.refresh_token)).body;
    const sid = sessionIdOf(first);

    const reuse = await refresh(first.refresh_token);

    expect(reuse.status).toBe(401);
    expect(errorOf(reuse).code).toBe('refresh_token_reused');
    // The newer token of the family stops working too.
    const newer = await refresh(second.refresh_token);
    expect(newer.status).toBe(401);
    expect(errorOf(newer).code).toBe('refresh_token_reused');
    expect(await liveTokensOf(sid)).toBe(0);
    // The gateway refuses the family's access tokens for as long as one could still be valid.
    const ttl = await h.redis.ttl(revokedSessionKey(sid));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900);
  });

  it('when one user has two sessions and one is revoked for reuse, then the other keeps working', async () => {
    const first = await registered(h.call);
    const other = await h.call<SessionResource>('POST', '/v1/auth/login', {
      body: { email: first.user.email, password: 'correct horse battery staple' },
    });
    await refresh(first.refresh_token);
    await refresh(first.refresh_token);

    const response = await refresh(other.body.refresh_token);

    expect(response.status).toBe(200);
  });

  it('when refreshes of one token race past the first check, then exactly one succeeds', async () => {
    const first = await registered(h.call);
    const sid = sessionIdOf(first);
    // Hold the token row so every refresh reads it as unspent and then queues on its UPDATE.
    const locker = new pg.Client({ connectionString: h.database.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('select id from auth.refresh_tokens where family_id = $1 for update', [sid]);
    const pending = Promise.all(Array.from({ length: 4 }, () => refresh(first.refresh_token)));
    await expect.poll(() => sessionsWaitingOnLocks(), { timeout: 10_000 }).toBe(4);

    await locker.query('commit');
    await locker.end();
    const responses = await pending;

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(await liveTokensOf(sid)).toBe(0);
  });

  it('when the token is unknown, then 401 invalid_refresh_token', async () => {
    const response = await refresh('x'.repeat(48));

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('invalid_refresh_token');
  });

  it('when the token has expired, then 401 invalid_refresh_token', async () => {
    const session = await registered(h.call);
    await expireRefreshTokens(sessionIdOf(session));

    const response = await refresh(session.refresh_token);

    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe('invalid_refresh_token');
  });

  it('when no token is sent in the body or a cookie, then 400 naming refresh_token', async () => {
    const response = await h.call('POST', '/v1/auth/refresh', { body: {} });

    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'parameter_missing', param: 'refresh_token' });
  });
});

describe('POST /v1/auth/logout', () => {
  it('when a session logs out, then its refresh token stops working and its access tokens are marked revoked', async () => {
    const session = await registered(h.call);
    const sid = sessionIdOf(session);

    const response = await logout(session.refresh_token);

    expect(response.status).toBe(204);
    expect(refreshCookieOf(response)).toBe('expe_refresh=');
    expect((await refresh(session.refresh_token)).status).toBe(401);
    expect(await h.redis.exists(revokedSessionKey(sid))).toBe(1);
  });

  it('when the token is unknown, then still 204 (logout tells nothing about tokens)', async () => {
    const response = await logout('y'.repeat(48));

    expect(response.status).toBe(204);
  });

  it('when logout has no token at all, then 204 and the cookie is cleared', async () => {
    const response = await h.call('POST', '/v1/auth/logout');

    expect(response.status).toBe(204);
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/expe_refresh=;.*Max-Age=0/);
  });
});

describe('the expe_refresh cookie', () => {
  it('when a session starts, then the refresh token is set as an httpOnly, SameSite=Strict cookie on /v1/auth', async () => {
    const response = await register(h.call);

    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('expe_refresh='));
    expect(setCookie).toBeDefined();
    expect(refreshCookieOf(response)).toBe(`expe_refresh=${response.body.refresh_token}`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/v1/auth');
    expect(setCookie).toContain(`Max-Age=${30 * 24 * 3600}`);
    // Plain HTTP outside production, so a local run can use it.
    expect(setCookie).not.toContain('Secure');
  });

  it('when the web app refreshes and logs out with the cookie only, then both work', async () => {
    const start = await register(h.call);
    const firstCookie = refreshCookieOf(start) ?? '';

    const refreshed = await refreshWithCookie(firstCookie);
    expect(refreshed.status).toBe(200);
    const secondCookie = refreshCookieOf(refreshed) ?? '';
    expect(secondCookie).toBe(`expe_refresh=${refreshed.body.refresh_token}`);

    const loggedOut = await h.call('POST', '/v1/auth/logout', {
      headers: { cookie: secondCookie },
    });

    expect(loggedOut.status).toBe(204);
    expect((await refreshWithCookie(secondCookie)).status).toBe(401);
  });

  it('when the body and the cookie both carry a token, then the body wins', async () => {
    const fromBody = await registered(h.call);
    const fromCookie = await register(h.call);

    const response = await h.call<SessionResource>('POST', '/v1/auth/refresh', {
      body: { refresh_token: fromBody.refresh_token },
      headers: { cookie: refreshCookieOf(fromCookie) ?? '' },
    });

    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(fromBody.user.id);
  });

  it('when running in production, then the cookie is Secure', async () => {
    const { call } = await h.startVariant({ NODE_ENV: 'production' });

    const response = await register(call);

    expect(response.status).toBe(201);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('expe_refresh='));
    expect(setCookie).toContain('Secure');
  });
});

async function expireRefreshTokens(familyId: string): Promise<void> {
  const client = new pg.Client({ connectionString: h.database.url });
  await client.connect();
  try {
    await client.query(
      `update auth.refresh_tokens set expires_at = now() - interval '1 second' where family_id = $1`,
      [familyId],
    );
  } finally {
    await client.end();
  }
}

async function sessionsWaitingOnLocks(): Promise<number> {
  const client = new pg.Client({ connectionString: h.database.url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return result.rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
