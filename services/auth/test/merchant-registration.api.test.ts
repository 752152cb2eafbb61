import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionResource } from '@expe/contracts';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  apiClient,
  errorOf,
  harnessPerFile,
  merchantsBesidePerFile,
  register,
  testPassword,
  uniqueEmail,
  userOf,
} from './support/harness.js';

/**
 * Merchant sign-up spans two services: auth's user and the merchants service's merchant. Either
 * side may fail between the two writes; whatever failed, retrying the registration must end
 * with exactly one user and exactly one merchant owned by it, and a failed registration leaves
 * no user behind.
 */
const h = harnessPerFile('auth_merchant_registration');
/** `call`: auth wired to the real merchants service. */
const { call, merchants } = merchantsBesidePerFile(h);

const usersWith = (email: string) => countRows(h.database.url, 'auth.users', `email = '${email}'`);
const merchantsWith = (email: string) =>
  countRows(h.database.url, 'merchants.merchants', `email = '${email}'`);
/** How many merchants with this email the user owns. */
const merchantsOwnedBy = (userId: string, email: string) =>
  countRows(
    h.database.url,
    'merchants.merchants',
    `email = '${email}' and owner_user_id = '${userId}'`,
  );

/** The merchant the merchants service shows the signed-in user (what the dashboard reads). */
async function merchantOf(session: SessionResource) {
  return apiClient(merchants.url)<{ id: string; name: string; email: string }>(
    'GET',
    '/v1/merchants/me',
    { as: userOf(session) },
  );
}

/**
 * Passes auth's call on to the real merchants service, so the merchant is created, and then
 * loses the answer: the connection drops (`drop`) or a 500 comes back (`fail`). To auth this is
 * the merchants service failing after it wrote, or auth itself dying before it wrote its user.
 */
async function startLossyProxy(mode: 'drop' | 'fail'): Promise<{
  url: string;
  server: Server;
  /** The merchants the real service answered with, which auth never saw. */
  created: { id: string; status: number }[];
}> {
  const created: { id: string; status: number }[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers[name] = value;
      }
      void fetch(new URL(req.url ?? '/', merchants.url), {
        method: req.method,
        headers,
        body: raw || undefined,
      }).then(async (response) => {
        const body = (await response.json()) as { id: string };
        created.push({ id: body.id, status: response.status });
        if (mode === 'drop') res.destroy();
        else res.writeHead(500, { 'content-type': 'application/json' }).end('{}');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server, created };
}

describe('merchant registration across auth and merchants', () => {
  it('when merchants is down, then 503 and no user; the same registration retried later gives one user and one merchant', async () => {
    const { call: merchantsDown } = await h.startVariant({ MERCHANTS_URL: 'http://127.0.0.1:9' });
    const email = uniqueEmail('down');
    const fields = { email, name: 'Down Stores', role: 'merchant' } as const;

    const failed = await register(merchantsDown, fields);

    expect(failed.status).toBe(503);
    expect(errorOf(failed).code).toBe('service_unavailable');
    expect(await usersWith(email)).toBe(0);
    expect(await merchantsWith(email)).toBe(0);

    const retried = await register(call, fields);

    expect(retried.status).toBe(201);
    expect(await usersWith(email)).toBe(1);
    expect(await merchantsWith(email)).toBe(1);
    const merchant = await merchantOf(retried.body);
    expect(merchant.status).toBe(200);
    expect(merchant.body).toMatchObject({ name: 'Down Stores', email });
  });

  it.each(['drop', 'fail'] as const)(
    'when merchants created the merchant but auth never learnt it (%s), then no user, and the retry gets that same merchant',
    async (mode) => {
      const proxy = await startLossyProxy(mode);
      const { call: lossy } = await h.startVariant({ MERCHANTS_URL: proxy.url });
      const email = uniqueEmail(`lost.${mode}`);
      const fields = { email, name: 'Lost Answer Stores', role: 'merchant' } as const;

      const failed = await register(lossy, fields);

      proxy.server.close();
      expect(failed.status).toBe(mode === 'drop' ? 503 : 502);
      expect(await usersWith(email)).toBe(0);
      expect(proxy.created).toEqual([{ id: expect.stringMatching(/^mer_/), status: 201 }]);
      expect(await merchantsWith(email)).toBe(1);

      const retried = await register(call, fields);

      expect(retried.status).toBe(201);
      expect(await usersWith(email)).toBe(1);
      // The retry registered the user the merchant was created for: no second merchant.
      expect(await merchantsWith(email)).toBe(1);
      expect(await merchantsOwnedBy(retried.body.user.id, email)).toBe(1);
      const merchant = await merchantOf(retried.body);
      expect(merchant.status).toBe(200);
      expect(merchant.body.id).toBe(proxy.created[0]?.id);
    },
  );

  it('when the retry comes after several lost answers, then still one merchant', async () => {
    const proxy = await startLossyProxy('drop');
    const { call: lossy } = await h.startVariant({ MERCHANTS_URL: proxy.url });
    const email = uniqueEmail('lost.many');
    const fields = { email, name: 'Many Tries', role: 'merchant' } as const;

    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await register(lossy, fields)).status).toBe(503);
    }
    proxy.server.close();
    const retried = await register(call, fields);

    expect(retried.status).toBe(201);
    expect(await usersWith(email)).toBe(1);
    expect(await merchantsWith(email)).toBe(1);
    expect(await merchantsOwnedBy(retried.body.user.id, email)).toBe(1);
    // The first attempt created it; the later ones found it.
    expect(proxy.created.map((answer) => answer.status)).toEqual([201, 200, 200]);
    expect(new Set(proxy.created.map((answer) => answer.id)).size).toBe(1);
  });

  it('when a failed sign-up is sent again with another password, then the new password is the one that works', async () => {
    const proxy = await startLossyProxy('drop');
    const { call: lossy } = await h.startVariant({ MERCHANTS_URL: proxy.url });
    const email = uniqueEmail('new.password');
    const fields = { email, name: 'Second Thoughts', role: 'merchant' } as const;
    expect((await register(lossy, { ...fields, password: 'first password here' })).status).toBe(
      503,
    );
    proxy.server.close();

    const retried = await register(call, { ...fields, password: 'second password here' });

    expect(retried.status).toBe(201);
    const login = (password: string) =>
      call('POST', '/v1/auth/login', { body: { email, password } });
    expect((await login('first password here')).status).toBe(401);
    expect((await login('second password here')).status).toBe(200);
    expect(await merchantsWith(email)).toBe(1);
  });

  it('when one merchant email registers several times at once, then one 201, the rest 409, one user and one merchant', async () => {
    const email = uniqueEmail('merchant.race');

    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        register(call, { email, name: 'Race Stores', role: 'merchant' }),
      ),
    );

    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const refused of responses.filter((r) => r.status === 409)) {
      expect(errorOf(refused)).toMatchObject({ code: 'email_taken', param: 'email' });
    }
    const winner = responses.find((r) => r.status === 201)?.body;
    expect(await usersWith(email)).toBe(1);
    expect(await merchantsWith(email)).toBe(1);
    expect(await merchantsOwnedBy(winner?.user.id ?? '', email)).toBe(1);
  });

  it('when the email is already a user, then 409 email_taken and merchants is not asked', async () => {
    const email = uniqueEmail('taken');
    expect((await register(call, { email, role: 'merchant', name: 'First' })).status).toBe(201);

    const again = await register(call, { email, role: 'merchant', name: 'Second' });

    expect(again.status).toBe(409);
    expect(await merchantsWith(email)).toBe(1);
  });

  it('when a merchant registered after a failure signs in later, then the dashboard finds its merchant', async () => {
    const { call: merchantsDown } = await h.startVariant({ MERCHANTS_URL: 'http://127.0.0.1:9' });
    const email = uniqueEmail('login');
    const fields = { email, name: 'Later Login', role: 'merchant' } as const;
    expect((await register(merchantsDown, fields)).status).toBe(503);
    // Nothing to sign in to after the failure: the account does not exist yet.
    const tooEarly = await call('POST', '/v1/auth/login', {
      body: { email, password: testPassword },
    });
    expect(tooEarly.status).toBe(401);
    expect((await register(call, fields)).status).toBe(201);

    const login = await call<SessionResource>('POST', '/v1/auth/login', {
      body: { email, password: testPassword },
    });

    expect(login.status).toBe(200);
    const merchant = await merchantOf(login.body);
    expect(merchant.status).toBe(200);
    expect(merchant.body).toMatchObject({ name: 'Later Login', email });
  });
});
