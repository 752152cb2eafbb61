import jwt from 'jsonwebtoken';
import { testSecrets } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile, uniqueEmail } from './support/test-platform.js';

const t = platformPerFile({ CORS_ORIGINS: 'http://localhost:5173' });

function forgedToken(
  secret: string,
  claims: Record<string, unknown> = {},
  options: jwt.SignOptions = {},
) {
  return jwt.sign({ role: 'merchant', email: 'x@example.com', sid: 'fam_x', ...claims }, secret, {
    algorithm: 'HS256',
    subject: 'usr_01kb3v4y7m9q2x8c5d6e7f8g9h',
    issuer: 'expe-auth',
    audience: 'expe-api',
    expiresIn: 600,
    ...options,
  });
}

async function expectUnauthorized(token: string | undefined, path = '/v1/merchants/me') {
  const response = await t.api('GET', path, token === undefined ? {} : { token });
  expect(response.status, `${path} with ${token?.slice(0, 12)}`).toBe(401);
  expect(response.body.error.type).toBe('authentication_error');
  expect(response.body.error.request_id).toBe(response.headers.get('request-id'));
  return response.body.error.code as string;
}

describe('authentication at the gateway', () => {
  it('when no credentials are sent to a protected route, then 401', async () => {
    await expectUnauthorized(undefined);
    await expectUnauthorized(undefined, '/v1/account');
  });

  it('when the token is malformed, expired, signed with another key or unsigned, then 401', async () => {
    const secret = testSecrets.jwt.reveal();
    await expectUnauthorized('not-a-jwt');
    await expectUnauthorized(forgedToken(secret, {}, { expiresIn: -10 }));
    await expectUnauthorized(forgedToken('another-secret-another-secret-another-secret'));
    await expectUnauthorized(forgedToken(secret, {}, { audience: 'someone-else' }));
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({
        sub: 'usr_x',
        role: 'admin',
        email: 'a@b.c',
        sid: 's',
        iss: 'expe-auth',
        aud: 'expe-api',
      }),
    ).toString('base64url');
    await expectUnauthorized(`${header}.${payload}.`);
  });

  it('when an API key is unknown or malformed, then 401 invalid_api_key', async () => {
    expect(
      await expectUnauthorized('sk_test_0000000000000000000000000000abcd', '/v1/account'),
    ).toBe('invalid_api_key');
    expect(await expectUnauthorized('sk_test_short', '/v1/account')).toBe('invalid_api_key');
  });

  it('when a key is revoked, then it stops working within 5 seconds', async () => {
    const { token, project, key } = await onboardMerchant(t, 'revoke');
    expect((await t.api('GET', '/v1/account', { token: key.secret })).status).toBe(200);

    const revoke = await t.api('DELETE', `/v1/projects/${project.id}/api_keys/${key.id}`, {
      token,
    });
    expect(revoke.status).toBe(200);
    const revokedAt = Date.now();

    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5_000) {
      status = (await t.api('GET', '/v1/account', { token: key.secret })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
  });

  it('when a key is rolled, then the old secret works during the grace period and not after it', async () => {
    const { token, project, key } = await onboardMerchant(t, 'roll');
    const roll = await t.api('POST', `/v1/projects/${project.id}/api_keys/${key.id}/roll`, {
      token,
      body: { expires_in: 3 },
    });
    expect(roll.status).toBe(200);
    expect(roll.body.secret).not.toBe(key.secret);
    const expires = roll.body.expiring_secrets[0].expires as number;
    expect((await t.api('GET', '/v1/account', { token: key.secret })).status).toBe(200);
    expect((await t.api('GET', '/v1/account', { token: roll.body.secret })).status).toBe(200);

    // Polled past the grace period and the gateway's key cache, not slept for a fixed time.
    let old = await t.api('GET', '/v1/account', { token: key.secret });
    for (const deadline = Date.now() + 20_000; old.status === 200 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      old = await t.api('GET', '/v1/account', { token: key.secret });
    }
    expect(Date.now() / 1000).toBeGreaterThanOrEqual(expires - 1);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('expired_api_key');
    expect((await t.api('GET', '/v1/account', { token: roll.body.secret })).status).toBe(200);
  });

  it('when a publishable key calls a secret-key route, then 403', async () => {
    const { key } = await onboardMerchant(t, 'pk');
    const response = await t.api('GET', '/v1/account', { token: key.publishable });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('secret_key_required');
  });
});

describe('tenant isolation and roles', () => {
  it("when merchant A asks for merchant B's project or keys, then 404 and nothing changes", async () => {
    const a = await onboardMerchant(t, 'tenant-a');
    const b = await onboardMerchant(t, 'tenant-b');
    const attempts = [
      ['GET', `/v1/projects/${b.project.id}`],
      ['POST', `/v1/projects/${b.project.id}`, { name: 'hijacked' }],
      ['DELETE', `/v1/projects/${b.project.id}`],
      ['GET', `/v1/projects/${b.project.id}/api_keys`],
      ['POST', `/v1/projects/${b.project.id}/api_keys`, { name: 'mine now', mode: 'test' }],
      ['DELETE', `/v1/projects/${b.project.id}/api_keys/${b.key.id}`],
      ['POST', `/v1/projects/${b.project.id}/api_keys/${b.key.id}/roll`, { expires_in: 0 }],
    ] as const;
    for (const [method, path, body] of attempts) {
      const response = await t.api(method, path, { token: a.token, body });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const list = await t.api('GET', '/v1/projects', { token: a.token });
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([a.project.id]);
    const still = await t.api('GET', `/v1/projects/${b.project.id}`, { token: b.token });
    expect(still.body.name).toBe('tenant-b project');
    expect((await t.api('GET', '/v1/account', { token: b.key.secret })).status).toBe(200);
  });

  it('when a user (not a merchant) calls merchant routes, then 403', async () => {
    const register = await t.api('POST', '/v1/auth/register', {
      body: {
        email: uniqueEmail('shopper'),
        password: 'correct horse battery',
        name: 'Ravi',
        role: 'user',
      },
    });
    const token = register.body.access_token;
    for (const [method, path] of [
      ['GET', '/v1/merchants/me'],
      ['GET', '/v1/projects'],
      ['POST', '/v1/projects'],
    ] as const) {
      const response = await t.api(method, path, {
        token,
        body: method === 'POST' ? { name: 'x' } : undefined,
      });
      expect(response.status, path).toBe(403);
      expect(response.body.error.type).toBe('permission_error');
    }
  });
});

describe('service boundaries', () => {
  it('when a client calls a service port directly, bypassing the gateway, then it is refused', async () => {
    const { token } = await onboardMerchant(t, 'direct');
    for (const name of ['auth', 'merchants']) {
      const service = t.platform.services[name]!;
      const response = await fetch(`${service.url}/v1/merchants/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).error.code).toBe('gateway_credential_required');
    }
  });

  it('when a client asks the gateway for an internal route, then 404', async () => {
    const response = await t.api('POST', '/internal/merchants', {
      body: { name: 'x', email: 'x@example.com' },
    });
    expect(response.status).toBe(404);
    const v1 = await t.api('POST', '/v1/../internal/merchants', { body: {} });
    expect(v1.status).toBe(404);
  });
});

describe('request hygiene', () => {
  it('when the body is larger than the limit, then 413 and nothing is created', async () => {
    const response = await t.api('POST', '/v1/auth/register', {
      rawBody: JSON.stringify({
        email: uniqueEmail('big'),
        password: 'x'.repeat(200_000),
        name: 'Big',
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('request_too_large');
  });

  it('when the body is not JSON, then 400 invalid_json', async () => {
    const response = await t.api('POST', '/v1/auth/login', {
      rawBody: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_json');
  });

  it('sets security headers and a request id on every response, and allows only listed origins', async () => {
    const allowed = await t.api('GET', '/healthz', {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('request-id')).toMatch(/^req_/);
    const other = await t.api('GET', '/healthz', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const missing = await t.api('GET', '/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.request_id).toBe(missing.headers.get('request-id'));
  });

  it('is ready when its own Redis answers (not when every upstream does), and serves metrics', async () => {
    const ready = await t.api('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ redis: 'ok' });
    const metrics = await t.api('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(
      /http_server_request_duration_bucket\{[^}]*service="gateway"[^}]*http_route="upstream:merchants"/,
    );
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const document = await t.api('GET', '/openapi.json');
    expect(document.body.openapi).toBe('3.1.0');
    expect(Object.keys(document.body.paths)).toContain('/v1/account');
    const docs = await fetch(`${t.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});

describe('sessions', () => {
  it('when a user logs out, then the access token of that session stops working at the gateway', async () => {
    const email = uniqueEmail('logout');
    const register = await t.api('POST', '/v1/auth/register', {
      body: { email, password: 'correct horse battery', name: 'Lee', role: 'user' },
    });
    const { access_token, refresh_token } = register.body;
    expect((await t.api('GET', '/v1/auth/me', { token: access_token })).status).toBe(200);
    expect((await t.api('POST', '/v1/auth/logout', { body: { refresh_token } })).status).toBe(204);
    const after = await t.api('GET', '/v1/auth/me', { token: access_token });
    expect(after.status).toBe(401);
    const refresh = await t.api('POST', '/v1/auth/refresh', { body: { refresh_token } });
    expect(refresh.status).toBe(401);
  });

  it('when a spent refresh token is replayed, then the whole family is revoked', async () => {
    const register = await t.api('POST', '/v1/auth/register', {
      body: {
        email: uniqueEmail('reuse'),
        password: 'correct horse battery',
        name: 'Kim',
        role: 'user',
      },
    });
    const first = register.body.refresh_token;
    const rotated = await t.api('POST', '/v1/auth/refresh', { body: { refresh_token: first } });
    expect(rotated.status).toBe(200);
    const replay = await t.api('POST', '/v1/auth/refresh', { body: { refresh_token: first } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('refresh_token_reused');
    const newer = await t.api('POST', '/v1/auth/refresh', {
      body: { refresh_token: rotated.body.refresh_token },
    });
    expect(newer.status).toBe(401);
    expect((await t.api('GET', '/v1/auth/me', { token: rotated.body.access_token })).status).toBe(
      401,
    );
  });
});
