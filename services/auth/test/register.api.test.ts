import { createPublicKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionResource } from '@expe/contracts';
import { identityHeader, verifyAccessToken, verifyIdentity } from '@expe/server-kit';
import { countRows, testIdentityKeys, testSecrets } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  apiClient,
  authRowCounts,
  errorOf,
  harnessPerFile,
  mailbox,
  merchantsBesidePerFile,
  register,
  registered,
  uniqueEmail,
  userOf,
} from './support/harness.js';

const h = harnessPerFile('auth_register');
/** `call`: auth wired to the real merchants service. */
const { call, merchants } = merchantsBesidePerFile(h);

const authRows = () => authRowCounts(h);

/** Stands in for the merchants service where a test needs it to misbehave. */
async function startStandInMerchants(
  answer: (req: IncomingMessage) => { status: number; body: string },
): Promise<{
  url: string;
  requests: { identity: string | undefined; body: unknown }[];
  server: Server;
}> {
  const requests: { identity: string | undefined; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      requests.push({
        identity: req.headers[identityHeader] as string | undefined,
        body: JSON.parse(raw),
      });
      const { status, body } = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

describe('POST /v1/auth/register', () => {
  it('when a user registers, then 201 with a signed-in session for a new unverified user', async () => {
    const email = uniqueEmail('asha');

    const response = await register(call, { email, name: 'Asha Verma', role: 'user' });

    expect(response.status).toBe(201);
    const session = response.body;
    expect(session).toMatchObject({
      token_type: 'Bearer',
      expires_in: 900,
      user: { object: 'user', email, name: 'Asha Verma', role: 'user', email_verified: false },
    });
    expect(session.user.id).toMatch(/^usr_[0-9a-z]{26}$/);
    expect(session.refresh_token).toMatch(/^[0-9A-Za-z]{48}$/);
    const claims = verifyAccessToken(testSecrets.jwt, session.access_token);
    expect(claims).toMatchObject({ sub: session.user.id, role: 'user', email });
    expect(
      await countRows(h.database.url, 'auth.refresh_tokens', `family_id = '${claims.sid}'`),
    ).toBe(1);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('when role is left out, then the account is a plain user', async () => {
    const response = await call<SessionResource>('POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), name: 'No Role', password: 'long enough password' },
    });

    expect(response.status).toBe(201);
    expect(response.body.user.role).toBe('user');
  });

  it('when someone registers, then a verification mail with a token lands in the mailbox', async () => {
    const email = uniqueEmail();

    await registered(call, { email });

    const mails = await mailbox(call, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ object: 'mail', to: email, kind: 'email_verification' });
    expect(mails[0]?.text).toContain(mails[0]?.token);
  });

  it('when the email differs only in case, then it counts as taken: 409 email_taken', async () => {
    const email = uniqueEmail('dup');
    await registered(call, { email });
    const before = await authRows();

    const response = await register(call, { email: email.toUpperCase() });

    expect(response.status).toBe(409);
    expect(errorOf(response)).toMatchObject({ code: 'email_taken', param: 'email' });
    expect(await authRows()).toEqual(before);
  });

  it('when the same email registers several times at once, then exactly one succeeds', async () => {
    const email = uniqueEmail('race');

    const responses = await Promise.all(Array.from({ length: 5 }, () => register(call, { email })));

    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await countRows(h.database.url, 'auth.users', `email = '${email}'`)).toBe(1);
  });

  it('when a merchant registers, then the merchants service holds a merchant owned by the new user', async () => {
    const email = uniqueEmail('shop');

    const response = await register(call, { email, name: 'Chai Point', role: 'merchant' });

    expect(response.status).toBe(201);
    expect(response.body.user.role).toBe('merchant');
    const merchant = await apiClient(merchants.url)('GET', '/v1/merchants/me', {
      as: userOf(response.body),
    });
    expect(merchant.status).toBe(200);
    expect(merchant.body).toMatchObject({ object: 'merchant', name: 'Chai Point', email });
    expect(merchant.body.id).toMatch(/^mer_/);
  });

  it('when the merchants service fails (stand-in answers 500), then 502 and no user is left behind', async () => {
    const standIn = await startStandInMerchants(() => ({
      status: 500,
      body: JSON.stringify({
        error: { type: 'api_error', code: 'internal_error', message: 'boom' },
      }),
    }));
    const { call: viaStandIn } = await h.startVariant({ MERCHANTS_URL: standIn.url });
    const email = uniqueEmail('failing');
    const before = await authRows();

    const response = await register(viaStandIn, { email, name: 'Failing Shop', role: 'merchant' });

    standIn.server.close();
    expect(response.status).toBe(502);
    expect(errorOf(response)).toMatchObject({ type: 'api_error', code: 'upstream_unavailable' });
    expect(await authRows()).toEqual(before);
    // What auth sent: its own service identity, signed with its key for merchants, and the
    // merchant's owner, name and email.
    expect(standIn.requests).toHaveLength(1);
    const request = standIn.requests[0];
    const merchantsTrustingAuth = {
      audience: 'merchants',
      issuers: { auth: { publicKey: createPublicKey(testIdentityKeys.auth.publicKey) } },
    };
    expect(verifyIdentity(merchantsTrustingAuth, request?.identity ?? '').principal).toEqual({
      kind: 'service',
      name: 'auth',
    });
    expect(request?.body).toEqual({
      owner_user_id: expect.stringMatching(/^usr_/),
      name: 'Failing Shop',
      email,
    });
  });

  it('when the merchants service answers without a merchant id (stand-in), then 502 and no user', async () => {
    const standIn = await startStandInMerchants(() => ({ status: 201, body: '{"ok":true}' }));
    const { call: viaStandIn } = await h.startVariant({ MERCHANTS_URL: standIn.url });
    const before = await authRows();

    const response = await register(viaStandIn, { role: 'merchant' });

    standIn.server.close();
    expect(response.status).toBe(502);
    expect(await authRows()).toEqual(before);
  });

  it('when the merchants service is unreachable, then 503 service_unavailable with Retry-After and no user', async () => {
    const before = await authRows();

    const response = await register(h.call, { role: 'merchant' });

    expect(response.status).toBe(503);
    expect(errorOf(response).code).toBe('service_unavailable');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await authRows()).toEqual(before);
  });

  it('when a plain user registers, then the merchants service is not needed', async () => {
    const response = await register(h.call, { role: 'user' });

    expect(response.status).toBe(201);
  });
});

describe('VPA handles', () => {
  it('when the name is free, then the VPA is the name in lower case with dots', async () => {
    const session = await registered(call, { name: `Zoë ${randomWord()} D'Souza` });

    expect(session.user.vpa).toMatch(/^zoe\.[a-z]+\.dsouza@expe$/);
  });

  it('when many people with one name register at once, then each gets a distinct VPA', async () => {
    const name = `Ravi ${randomWord()}`;
    const base = name.toLowerCase().replace(' ', '.');
    const first = await registered(call, { name });

    const sessions = await Promise.all(Array.from({ length: 8 }, () => registered(call, { name })));

    expect(first.user.vpa).toBe(`${base}@expe`);
    const vpas = sessions.map((s) => s.user.vpa);
    expect(new Set([first.user.vpa, ...vpas]).size).toBe(9);
    for (const vpa of vpas)
      expect(vpa).toMatch(new RegExp(`^${base.replace('.', '\\.')}\\d{2,6}@expe$`));
  });

  it('when the name would give a sandbox magic address, then a suffix is added', async () => {
    const session = await registered(call, { name: 'Success' });

    expect(session.user.vpa).not.toBe('success@expe');
    expect(session.user.vpa).toMatch(/^success\d{2}@expe$/);
  });

  it('when the name gives too short a handle, then the email local part is used', async () => {
    const local = `kiran.${randomWord()}`;

    const session = await registered(call, { name: '李', email: `${local}@example.com` });

    expect(session.user.vpa).toBe(`${local}@expe`);
  });

  it('when the name is very long, then the handle is cut to 30 characters', async () => {
    const session = await registered(call, { name: `${randomWord()} ${'x'.repeat(60)}` });

    const handle = session.user.vpa.replace('@expe', '');
    expect(handle.length).toBeLessThanOrEqual(30);
    expect(handle).toMatch(/^[a-z0-9.]{3,30}$/);
  });
});

/** Letters only, so names built from it make predictable handles. */
function randomWord(): string {
  return Array.from({ length: 8 }, () =>
    String.fromCharCode(97 + Math.floor(Math.random() * 26)),
  ).join('');
}
