import type { SessionResource } from '@expe/contracts';
import {
  createRedis,
  prefixedChannel,
  realtimeChannels,
  type CredentialRevocation,
  type Redis,
} from '@expe/server-kit';
import { testRedisUrl } from '@expe/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  registered,
  sessionIdOf,
  startAuthHarness,
  testPassword,
  userOf,
  type AuthHarness,
} from './support/harness.js';

// Every way a session ends is published on the revocations channel (issue 21), so the gateways
// close the WebSockets subscribed with it at once; test/websocket-revocation.e2e.test.ts follows
// the message to the sockets.

let h: AuthHarness;
let listener: Redis;
const heard: CredentialRevocation[] = [];

beforeAll(async () => {
  h = await startAuthHarness('auth_revocation_signal');
  listener = createRedis(testRedisUrl);
  listener.on('message', (_channel: string, payload: string) =>
    heard.push(JSON.parse(payload) as CredentialRevocation),
  );
  await listener.subscribe(prefixedChannel(h.redisPrefix, realtimeChannels.revocations()));
});

afterAll(async () => {
  listener?.disconnect();
  await h?.stop();
});

const heardFor = (sessionId: string) =>
  vi.waitUntil(() => heard.find((message) => message.ids.includes(sessionId)), {
    timeout: 5_000,
    interval: 10,
  });

const login = async (email: string) =>
  (
    await h.call<SessionResource>('POST', '/v1/auth/login', {
      body: { email, password: testPassword },
    })
  ).body;

describe('the revocation signal of auth', () => {
  it('when a session signs out, then its id is published with reason signed_out', async () => {
    const session = await registered(h.call);

    await h.call('POST', '/v1/auth/logout', { body: { refresh_token: session.refresh_token } });

    expect(await heardFor(sessionIdOf(session))).toEqual({
      kind: 'session',
      ids: [sessionIdOf(session)],
      reason: 'signed_out',
    });
  });

  it('when a spent refresh token is replayed, then the session is published with reason refresh_token_reused', async () => {
    const session = await registered(h.call);
    const refresh = () =>
      h.call('POST', '/v1/auth/refresh', { body: { refresh_token: session.refresh_token } });
    await refresh();

    await refresh();

    expect(await heardFor(sessionIdOf(session))).toMatchObject({
      kind: 'session',
      reason: 'refresh_token_reused',
    });
  });

  it('when the password changes, then the other sessions are published with reason password_changed and the caller’s is not', async () => {
    const email = `revocation.${Date.now()}@example.com`;
    const caller = await registered(h.call, { email });
    const other = await login(email);

    const changed = await h.call('POST', '/v1/auth/password', {
      as: userOf(caller),
      body: { current_password: testPassword, new_password: 'a brand new passphrase' },
    });

    expect(changed.status, changed.text).toBe(204);
    const message = await heardFor(sessionIdOf(other));
    expect(message).toMatchObject({ kind: 'session', reason: 'password_changed' });
    expect(message.ids).not.toContain(sessionIdOf(caller));
  });

  it('when the account is deleted, then every session of it is published with reason account_deactivated', async () => {
    const email = `revocation.deleted.${Date.now()}@example.com`;
    const first = await registered(h.call, { email });
    const second = await login(email);

    const deleted = await h.call('DELETE', '/v1/auth/me', { as: userOf(first) });

    expect(deleted.status, deleted.text).toBe(200);
    const message = await heardFor(sessionIdOf(first));
    expect(message).toMatchObject({ kind: 'session', reason: 'account_deactivated' });
    expect(message.ids).toEqual(expect.arrayContaining([sessionIdOf(first), sessionIdOf(second)]));
  });
});
