import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { ErrorObject, SessionResource } from '@expe/contracts';
import {
  createRedis,
  verifyAccessToken,
  type Principal,
  type Redis,
  type RunningService,
} from '@expe/server-kit';
import {
  apiClient,
  countRows,
  createTestDatabase,
  createTestRedisPrefix,
  perFile,
  testRedisUrl,
  testSecrets,
  type ApiResponse,
  type Call,
  type TestDatabase,
  serviceTestEnv,
} from '@expe/testing';
import { loadMerchantsConfig, startMerchants } from '@expe/merchants';
import { loadAuthConfig, startAuth } from '../../src/index.js';

/** A port nothing listens on, so a merchant registration fails unless a test says otherwise. */
export const unreachableUrl = 'http://127.0.0.1:9';

export function authEnv(
  databaseUrl: string,
  redisPrefix: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...serviceTestEnv({ service: 'auth', databaseUrl, redisPrefix }),
    JWT_SECRET: testSecrets.jwt.reveal(),
    BCRYPT_COST: '4',
    MERCHANTS_URL: unreachableUrl,
    // Off by default outside `npm start`; these tests read verification and reset mails.
    DEV_MAILBOX: 'true',
    ...overrides,
  };
}

export { apiClient, type ApiResponse, type Call, type CallOptions } from '@expe/testing';

export interface AuthHarness {
  service: RunningService;
  database: TestDatabase;
  redisPrefix: string;
  /** A client on the same Redis prefix as the service, to look at what it wrote. */
  redis: Redis;
  call: Call;
  /** Another auth instance on the same database and Redis prefix, with other settings. */
  startVariant(overrides: Record<string, string>): Promise<{ service: RunningService; call: Call }>;
  stop(): Promise<void>;
}

/** The test file's harness: `startAuthHarness` before its first test, `stop()` after its last. */
export function harnessPerFile(label: string, overrides: Record<string, string> = {}): AuthHarness {
  return perFile(
    `the ${label} harness`,
    () => startAuthHarness(label, overrides),
    (harness) => harness.stop(),
  );
}

/**
 * For the test file: the real merchants service beside `h` and an auth instance wired to it
 * (`call`), started after `h`; the merchants service closes after the file's last test, before
 * `h` stops (after-hooks run in reverse).
 */
export function merchantsBesidePerFile(h: AuthHarness): {
  call: Call;
  merchants: { readonly url: string };
} {
  let merchants: RunningService | undefined;
  let call: Call | undefined;
  beforeAll(async () => {
    merchants = await startMerchantsBeside(h);
    ({ call } = await h.startVariant({ MERCHANTS_URL: merchants.url }));
  });
  afterAll(async () => {
    await merchants?.close();
  });
  const current = () => {
    if (!merchants || !call) {
      throw new Error('the merchants service is not running: use it in a test or a hook');
    }
    return { merchants, call };
  };
  return {
    call: (method, path, options) => current().call(method, path, options),
    merchants: {
      get url() {
        return current().merchants.url;
      },
    },
  };
}

/** The auth service on a free port with a database and Redis prefix of its own. */
export async function startAuthHarness(
  label: string,
  overrides: Record<string, string> = {},
): Promise<AuthHarness> {
  const database = await createTestDatabase(label);
  const prefix = createTestRedisPrefix(label);
  const started: RunningService[] = [];
  const start = async (extra: Record<string, string>) => {
    const service = await startAuth(
      loadAuthConfig(authEnv(database.url, prefix.prefix, { ...overrides, ...extra })),
    );
    started.push(service);
    return { service, call: apiClient(service.url) };
  };
  const { service, call } = await start({});
  const redis = createRedis(testRedisUrl, { keyPrefix: prefix.prefix });
  return {
    service,
    database,
    redisPrefix: prefix.prefix,
    redis,
    call,
    startVariant: start,
    async stop() {
      for (const running of started) await running.close();
      redis.disconnect();
      await prefix.cleanup();
      await database.drop();
    },
  };
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}.${randomBytes(4).toString('hex')}@example.com`;
}

export const testPassword = 'correct horse battery staple';

export async function register(
  call: Call,
  fields: { email?: string; name?: string; password?: string; role?: 'user' | 'merchant' } = {},
): Promise<ApiResponse<SessionResource>> {
  const response = await call<SessionResource>('POST', '/v1/auth/register', {
    body: {
      email: fields.email ?? uniqueEmail(),
      name: fields.name ?? 'Test User',
      password: fields.password ?? testPassword,
      ...(fields.role ? { role: fields.role } : {}),
    },
  });
  return response;
}

/** Registers and fails the test unless it worked. */
export async function registered(
  call: Call,
  fields: Parameters<typeof register>[1] = {},
): Promise<SessionResource> {
  const response = await register(call, fields);
  if (response.status !== 201) throw new Error(`registration failed: ${response.text}`);
  return response.body;
}

/** The principal the gateway would forward for this session's access token. */
export function userOf(session: SessionResource): Principal {
  const claims = verifyAccessToken(testSecrets.jwt, session.access_token);
  return {
    kind: 'user',
    userId: claims.sub,
    role: claims.role,
    email: claims.email,
    sessionId: claims.sid,
  };
}

export function sessionIdOf(session: SessionResource): string {
  return verifyAccessToken(testSecrets.jwt, session.access_token).sid;
}

/** How many rows each of auth's tables holds: a refused request must leave them as they were. */
export async function authRowCounts(h: AuthHarness): Promise<Record<string, number>> {
  const tables = ['users', 'refresh_tokens', 'one_time_tokens', 'mails'];
  const counts = await Promise.all(tables.map((t) => countRows(h.database.url, `auth.${t}`)));
  return Object.fromEntries(tables.map((t, i) => [t, counts[i]!]));
}

export function errorOf(response: ApiResponse<unknown>): ErrorObject['error'] {
  return (response.body as ErrorObject).error;
}

export interface MailResource {
  id: string;
  object: 'mail';
  to: string;
  subject: string;
  text: string;
  kind: 'email_verification' | 'password_reset';
  token: string;
  created: number;
}

export async function mailbox(call: Call, email: string): Promise<MailResource[]> {
  const response = await call<{ data: MailResource[] }>(
    'GET',
    `/v1/dev/mailbox?email=${encodeURIComponent(email)}`,
  );
  if (response.status !== 200) throw new Error(`mailbox: ${response.text}`);
  return response.body.data;
}

/** Waits for a mail that is written after the response (password reset). */
export async function waitForMail(
  call: Call,
  email: string,
  kind: MailResource['kind'],
  timeoutMs = 5_000,
): Promise<MailResource> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = (await mailbox(call, email)).find((m) => m.kind === kind);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail for ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The `expe_refresh` cookie a response sets, as `name=value` for a Cookie header. */
export function refreshCookieOf(response: ApiResponse<unknown>): string | undefined {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('expe_refresh='));
  return setCookie?.split(';')[0];
}

/** The real merchants service on the harness's database and Redis prefix, for merchant sign-ups. */
export function startMerchantsBeside(h: AuthHarness): Promise<RunningService> {
  return startMerchants(
    loadMerchantsConfig({
      ...serviceTestEnv({
        service: 'merchants',
        databaseUrl: h.database.url,
        redisPrefix: h.redisPrefix,
      }),
      INTERNAL_AUTH_SECRET: testSecrets.internalAuth.reveal(),
    }),
  );
}
