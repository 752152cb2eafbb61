import WebSocket from 'ws';
import { signAccessToken } from '@expe/server-kit';
import { testSecrets } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  platformPerFile,
  uniqueEmail,
  type OnboardedMerchant,
} from './support/test-platform.js';

// Live credentials on live sockets (issue 21): a WebSocket subscription lives only as long as
// the credential it was made with. Auth and merchants publish each credential that ends; every
// gateway closes the sockets subscribed with it, with a close code and a reason that say why
// (docs/websocket.md). Each case follows a project's channel, and a second socket subscribed
// with a credential that did not end shows that events still flow.

const adminEmail = uniqueEmail('ws-revocation-admin');
const password = 'correct horse battery';
const t = platformPerFile({ ADMIN_EMAILS: adminEmail });

interface Socket {
  ws: WebSocket;
  messages: any[];
  /** Settles when the server closes the socket. */
  closed: Promise<{ code: number; reason: string; at: number }>;
  subscribe(message: Record<string, unknown>): Promise<any>;
}

async function connect(): Promise<Socket> {
  const ws = new WebSocket(`${t.url.replace('http', 'ws')}/v1/ws`);
  const messages: any[] = [];
  ws.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.once('close', (code, reason) =>
      resolve({ code, reason: reason.toString(), at: Date.now() }),
    ),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    ws,
    messages,
    closed,
    async subscribe(message) {
      const from = messages.length;
      ws.send(JSON.stringify({ type: 'subscribe', ...message }));
      const answer = () =>
        messages.slice(from).find((m) => m.type === 'subscribed' || m.type === 'error');
      await expect.poll(answer, { timeout: 5_000 }).toBeDefined();
      return answer();
    },
  };
}

const eventsOf = (socket: Socket) => socket.messages.filter((m) => m.type === 'event');

/** A merchant user's session acting in the merchant's project, as the console does. */
const bySession = (merchant: OnboardedMerchant, token = merchant.token) => ({
  channel: 'merchant',
  token,
  project: merchant.project.id,
  mode: 'test',
});

/**
 * After the revoked socket closed: a payment is created, and the socket still subscribed with
 * a live credential gets it, so events flow and none reached the closed socket.
 */
async function expectEventsOnlyOn(live: Socket, closed: Socket, merchant: OnboardedMerchant) {
  const eventsBefore = eventsOf(closed).length;
  const payment = await t.api('POST', '/v1/payments', {
    token: merchant.key.secret,
    body: { amount: 1_000, currency: 'inr' },
  });
  expect(payment.status, payment.text).toBe(201);
  await expect
    .poll(() => eventsOf(live).some((m) => m.event.data.object.id === payment.body.id))
    .toBe(true);
  expect(eventsOf(closed)).toHaveLength(eventsBefore);
  expect(closed.ws.readyState).toBe(WebSocket.CLOSED);
}

async function login(email: string) {
  const response = await t.api('POST', '/v1/auth/login', { body: { email, password } });
  expect(response.status, response.text).toBe(200);
  return response.body as { access_token: string; refresh_token: string };
}

async function subscribed(message: Record<string, unknown>): Promise<Socket> {
  const socket = await connect();
  expect(await socket.subscribe(message)).toMatchObject({ type: 'subscribed' });
  return socket;
}

describe('a WebSocket subscription ends with its session', () => {
  it('when the session signs out, then its socket closes at once with 4401 signed_out and gets no further event', async () => {
    const merchant = await onboardMerchant(t, 'ws-logout');
    const session = await subscribed(bySession(merchant));
    const byKey = await subscribed({ channel: 'merchant', token: merchant.key.secret });

    const logout = await t.api('POST', '/v1/auth/logout', {
      body: { refresh_token: merchant.session.refresh_token },
    });
    expect(logout.status, logout.text).toBeLessThan(300);

    expect(await session.closed).toMatchObject({ code: 4401, reason: 'signed_out' });
    await expectEventsOnlyOn(byKey, session, merchant);
    byKey.ws.close();
  });

  it('when the password is changed in another session, then the other sessions’ sockets close with 4401 password_changed and the changing session’s stays', async () => {
    const merchant = await onboardMerchant(t, 'ws-password');
    const other = await login(merchant.email);
    const otherSocket = await subscribed(bySession(merchant, other.access_token));
    const ownSocket = await subscribed(bySession(merchant));

    const changed = await t.api('POST', '/v1/auth/password', {
      token: merchant.token,
      body: { current_password: password, new_password: 'another horse battery' },
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(changed.status, changed.text).toBe(204);

    expect(await otherSocket.closed).toMatchObject({ code: 4401, reason: 'password_changed' });
    await expectEventsOnlyOn(ownSocket, otherSocket, merchant);
    ownSocket.ws.close();
  });

  it('when an admin disables the account, then its sockets close with 4401 account_deactivated', async () => {
    const admin = await t.api('POST', '/v1/auth/register', {
      body: { email: adminEmail, password, name: 'Admin' },
    });
    expect(admin.status, admin.text).toBe(201);
    const merchant = await onboardMerchant(t, 'ws-disabled');
    const session = await subscribed(bySession(merchant));
    const byKey = await subscribed({ channel: 'merchant', token: merchant.key.secret });

    const disabled = await t.api('POST', `/v1/admin/users/${merchant.session.user.id}/disable`, {
      token: admin.body.access_token,
      body: {},
      headers: { 'idempotency-key': crypto.randomUUID() },
    });
    expect(disabled.status, disabled.text).toBe(200);

    expect(await session.closed).toMatchObject({ code: 4401, reason: 'account_deactivated' });
    await expectEventsOnlyOn(byKey, session, merchant);
    byKey.ws.close();
  });

  it('when the user deletes the account, then every session’s socket closes with 4401 account_deactivated', async () => {
    const merchant = await onboardMerchant(t, 'ws-deleted');
    const second = await login(merchant.email);
    const first = await subscribed(bySession(merchant));
    const other = await subscribed(bySession(merchant, second.access_token));
    const byKey = await subscribed({ channel: 'merchant', token: merchant.key.secret });

    const deleted = await t.api('DELETE', '/v1/auth/me', { token: merchant.token });
    expect(deleted.status, deleted.text).toBe(200);

    expect(await first.closed).toMatchObject({ code: 4401, reason: 'account_deactivated' });
    expect(await other.closed).toMatchObject({ code: 4401, reason: 'account_deactivated' });
    await expectEventsOnlyOn(byKey, first, merchant);
    byKey.ws.close();
  });

  it('when a spent refresh token is replayed, then the session’s socket closes with 4401 refresh_token_reused', async () => {
    const merchant = await onboardMerchant(t, 'ws-reuse');
    const session = await subscribed(bySession(merchant));
    const refresh = () =>
      t.api('POST', '/v1/auth/refresh', {
        body: { refresh_token: merchant.session.refresh_token },
      });
    expect((await refresh()).status).toBe(200);

    expect((await refresh()).status).toBe(401);

    expect(await session.closed).toMatchObject({ code: 4401, reason: 'refresh_token_reused' });
  });

  it('when the access token reaches its exp, then its socket closes then with 4402 access_token_expired', async () => {
    const merchant = await onboardMerchant(t, 'ws-expiry');
    const claims = JSON.parse(
      Buffer.from(merchant.token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { sub: string; sid: string; email: string };
    const shortLived = signAccessToken(
      testSecrets.jwt,
      { sub: claims.sub, sid: claims.sid, email: claims.email, role: 'merchant' },
      2,
    );
    const { exp } = JSON.parse(
      Buffer.from(shortLived.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp: number };
    const session = await subscribed(bySession(merchant, shortLived));

    const closed = await session.closed;

    expect(closed).toMatchObject({ code: 4402, reason: 'access_token_expired' });
    expect(closed.at).toBeGreaterThanOrEqual(exp * 1000 - 50);
  });
});

describe('a WebSocket subscription ends with its API key', () => {
  it('when the key is revoked, then its socket closes at once with 4401 api_key_revoked and gets no further event', async () => {
    const merchant = await onboardMerchant(t, 'ws-revoke');
    const byKey = await subscribed({ channel: 'merchant', token: merchant.key.secret });
    const session = await subscribed(bySession(merchant));

    const revoked = await t.api(
      'DELETE',
      `/v1/projects/${merchant.project.id}/api_keys/${merchant.key.id}`,
      { token: merchant.token },
    );
    expect(revoked.status, revoked.text).toBe(200);

    expect(await byKey.closed).toMatchObject({ code: 4401, reason: 'api_key_revoked' });
    const other = await t.api('POST', `/v1/projects/${merchant.project.id}/api_keys`, {
      token: merchant.token,
      body: { name: 'second', mode: 'test' },
    });
    expect(other.status, other.text).toBe(201);
    await expectEventsOnlyOn(session, byKey, { ...merchant, key: other.body });
    session.ws.close();
  });

  it('when the key is rolled with a grace period, then the old secret’s socket closes with 4402 api_key_rolled when the grace ends and the new secret’s stays', async () => {
    const merchant = await onboardMerchant(t, 'ws-roll');
    const old = await subscribed({ channel: 'merchant', token: merchant.key.secret });

    const rolled = await t.api(
      'POST',
      `/v1/projects/${merchant.project.id}/api_keys/${merchant.key.id}/roll`,
      {
        token: merchant.token,
        body: { expires_in: 2 },
        headers: { 'idempotency-key': crypto.randomUUID() },
      },
    );
    const rolledAt = Date.now();
    expect(rolled.status, rolled.text).toBe(200);
    const renewed = await subscribed({ channel: 'merchant', token: rolled.body.secret });

    const closed = await old.closed;

    expect(closed).toMatchObject({ code: 4402, reason: 'api_key_rolled' });
    expect(closed.at - rolledAt).toBeGreaterThanOrEqual(1_000);
    await expectEventsOnlyOn(renewed, old, { ...merchant, key: rolled.body });
    expect(renewed.ws.readyState).toBe(WebSocket.OPEN);
    renewed.ws.close();
  });

  it('when the project is deleted, then the sockets of its keys and of sessions acting in it close with 4401 project_deleted', async () => {
    const merchant = await onboardMerchant(t, 'ws-project');
    const byKey = await subscribed({ channel: 'merchant', token: merchant.key.secret });
    const session = await subscribed(bySession(merchant));

    const deleted = await t.api('DELETE', `/v1/projects/${merchant.project.id}`, {
      token: merchant.token,
    });
    expect(deleted.status, deleted.text).toBe(200);

    expect(await byKey.closed).toMatchObject({ code: 4401, reason: 'project_deleted' });
    expect(await session.closed).toMatchObject({ code: 4401, reason: 'project_deleted' });
  });
});
