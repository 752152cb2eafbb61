import type { ApiKeyResource, ProjectResource, SessionResource } from '@expe/contracts';
import { startPlatform, type Platform } from '@expe/platform';
import {
  createTestDatabase,
  createTestRedisPrefix,
  perFile,
  testIdentityKeys,
  testRedisUrl,
  testSecrets,
} from '@expe/testing';
import { expect } from 'vitest';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestPlatform {
  url: string;
  databaseUrl: string;
  platform: Platform;
  /** The variables every service was started with (secrets, DATABASE_URL, Redis prefix, …). */
  env: Record<string, string>;
  /** Calls the gateway like a client would. */
  api<T = any>(
    method: string,
    path: string,
    options?: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * The whole platform as `npm start` runs it (every service on its own port, the gateway in
 * front), on a database and a Redis prefix of its own.
 */
export async function startTestPlatform(
  env: Record<string, string> = {},
  options: {
    /** Every service's log lines, e.g. a `createLogSink()` stream with LOG_LEVEL=debug. */
    logDestination?: NodeJS.WritableStream;
  } = {},
): Promise<TestPlatform> {
  const database = await createTestDatabase('e2e');
  const redis = createTestRedisPrefix('e2e');
  const platformEnv: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl,
    REDIS_KEY_PREFIX: redis.prefix,
    JWT_SECRET: testSecrets.jwt.reveal(),
    INTERNAL_AUTH_SECRET: testSecrets.internalAuth.reveal(),
    BCRYPT_COST: '4',
    // Test files run in parallel against one PostgreSQL server (max_connections 100 by default).
    DATABASE_POOL_SIZE: '4',
    PAYMENTS_CLIENT_SECRET_KEY: 'test-payments-client-secret-key-0123456789',
    WEBHOOK_SECRET_ENCRYPTION_KEY: 'test-webhook-secret-encryption-key-0123456',
    // As `npm start` on loopback (the dev mailbox is off by default anywhere else).
    DEV_MAILBOX: 'true',
    // The gateway's rate limits count requests per second from one address, so with the
    // defaults a test that calls in a loop is refused (429) or not by the speed of the machine
    // it runs on: a sequential loop of cheap refusals passed alone and failed in CI. Limits are
    // the subject of their own tests, which set them (`test/rate-limit.e2e.test.ts`); every
    // other test runs unthrottled.
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_KEY: '1000000',
    AUTH_FAILURES_PER_IP: '1000000',
    ...env,
  };
  const platform = await startPlatform({
    env: platformEnv,
    ports: { gateway: 0, auth: 0, merchants: 0, payments: 0, webhooks: 0 },
    // The testing package's keys, so its signed identities (and the operator's) are trusted.
    identityKeys: testIdentityKeys,
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  const url = platform.gatewayUrl;
  return {
    url,
    databaseUrl: database.url,
    platform,
    env: platformEnv,
    async api(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      const response = await fetch(url + path, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed as never, text };
    },
    async close() {
      await platform.close();
      await redis.cleanup();
      await database.drop();
    },
  };
}

/** The test file's platform: `startTestPlatform` before its first test, `close()` after its last. */
export function platformPerFile(
  env: Record<string, string> = {},
  options: Parameters<typeof startTestPlatform>[1] = {},
): TestPlatform {
  return perFile(
    'the platform',
    () => startTestPlatform(env, options),
    (platform) => platform.close(),
  );
}

let counter = 0;

/** A fresh, unique email per call, so tests never collide. */
export function uniqueEmail(label = 'user'): string {
  return `${label}.${Date.now().toString(36)}.${(counter++).toString(36)}@example.com`;
}

export interface OnboardedMerchant {
  email: string;
  token: string;
  session: SessionResource;
  project: ProjectResource;
  key: ApiKeyResource & { secret: string };
}

/** Registers a merchant and returns its session, a project and a test key. */
export async function onboardMerchant(
  t: TestPlatform,
  label = 'merchant',
): Promise<OnboardedMerchant> {
  const email = uniqueEmail(label);
  const register = await t.api('POST', '/v1/auth/register', {
    body: { email, password: 'correct horse battery', name: `${label} shop`, role: 'merchant' },
  });
  if (register.status !== 201) throw new Error(`register failed: ${register.text}`);
  const token: string = register.body.access_token;
  const project = await t.api('POST', '/v1/projects', {
    token,
    body: { name: `${label} project` },
  });
  if (project.status !== 201) throw new Error(`project failed: ${project.text}`);
  const key = await t.api('POST', `/v1/projects/${project.body.id}/api_keys`, {
    token,
    body: { name: 'server', mode: 'test' },
  });
  if (key.status !== 201) throw new Error(`api key failed: ${key.text}`);
  return { email, token, session: register.body, project: project.body, key: key.body };
}

/** Another project of the merchant, with its own test secret key: a sandbox of its own. */
export async function secondProjectOf(t: TestPlatform, owner: OnboardedMerchant, label: string) {
  const project = await t.api('POST', '/v1/projects', {
    token: owner.token,
    body: { name: label },
  });
  expect(project.status, project.text).toBe(201);
  const key = await t.api('POST', `/v1/projects/${project.body.id}/api_keys`, {
    token: owner.token,
    body: { name: 'server', mode: 'test' },
  });
  expect(key.status, key.text).toBe(201);
  return { id: project.body.id as string, secret: key.body.secret as string };
}

/** Registers a person (role user) and returns the answer: its access token and the user. */
export async function registerUser(t: TestPlatform, label: string) {
  return (
    await t.api('POST', '/v1/auth/register', {
      body: {
        email: uniqueEmail(label),
        password: 'correct horse battery',
        name: label,
        role: 'user',
      },
    })
  ).body;
}

/** The file's merchant: onboarded on the file's platform before its first test. */
export function merchantPerFile(platform: TestPlatform, label: string): OnboardedMerchant {
  return perFile(
    `the ${label} merchant`,
    () => onboardMerchant(platform, label),
    async () => {},
  );
}
