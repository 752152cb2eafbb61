import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { expect } from 'vitest';
import { loadAuthConfig, startAuth } from '@expe/auth';
import { loadMerchantsConfig, startMerchants } from '@expe/merchants';
import { newId, type Principal, type RunningService } from '@expe/server-kit';
import {
  apiClient,
  countRows,
  createTestDatabase,
  createTestRedisPrefix,
  perFile,
  testSecrets,
  type ApiResponse,
  type Call,
  type TestDatabase,
  serviceTestEnv,
  testIdentityEnv,
} from '@expe/testing';
import { loadPaymentsConfig, startPayments } from '../src/index.js';

export const clientSecretKey = 'test-payments-client-secret-key-0123456789';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;
export type KeyPrincipal = Extract<Principal, { kind: 'api_key' }>;

export { apiClient, type ApiResponse, type Call, type CallOptions } from '@expe/testing';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  vpa: string;
  principal: UserPrincipal;
}

export interface TestMerchant extends ProjectKeys {
  id: string;
  name: string;
  owner: TestUser;
}

/** A project of a merchant and its keys, as the gateway would describe them. */
export interface ProjectKeys {
  projectId: string;
  testKey: KeyPrincipal;
  liveKey: KeyPrincipal;
  publishableTestKey: KeyPrincipal;
}

function keysOf(merchantId: string, projectId: string): Omit<ProjectKeys, 'projectId'> {
  const key = (mode: 'test' | 'live', keyType: 'secret' | 'publishable'): KeyPrincipal => ({
    kind: 'api_key',
    keyId: newId('key'),
    keyType,
    merchantId,
    projectId,
    mode,
  });
  return {
    testKey: key('test', 'secret'),
    liveKey: key('live', 'secret'),
    publishableTestKey: key('test', 'publishable'),
  };
}

export interface Stack {
  /** The payments service. */
  call: Call;
  payments: RunningService;
  /** The PostgreSQL test database; absent when the stack runs on an embedded PGlite. */
  database: TestDatabase | undefined;
  env: Record<string, string | undefined>;
  registerUser(name?: string): Promise<TestUser>;
  /** A merchant with its first project's keys. */
  registerMerchant(name?: string): Promise<TestMerchant>;
  /** One merchant per name, registered one after another. */
  registerMerchants<Names extends string[]>(
    ...names: Names
  ): Promise<{ [Index in keyof Names]: TestMerchant }>;
  /** Another project of `merchant` (made in the merchants service) with its keys. */
  addProject(merchant: TestMerchant, name?: string): Promise<ProjectKeys>;
  /** Rows in `payments.<table>`. */
  count(table: string, where?: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the real merchants, auth and payments services on one fresh database (each in its own
 * schema), as the cross-service setup of `npm start` does.
 */
export async function startStack(
  label: string,
  overrides: Record<string, string> = {},
  options: { pglite?: PGlite } = {},
): Promise<Stack> {
  const { pglite } = options;
  const database = pglite ? undefined : await createTestDatabase(`payments_${label}`);
  const redis = createTestRedisPrefix(`payments_${label}`);
  const base = {
    ...serviceTestEnv({ databaseUrl: database?.url, redisPrefix: redis.prefix }),
    INTERNAL_AUTH_SECRET: testSecrets.internalAuth.reveal(),
  };
  const started: RunningService[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.close();
    await redis.cleanup();
    await database?.drop();
  };
  try {
    const merchants = await startMerchants(loadMerchantsConfig(base), { pglite });
    started.push(merchants);
    const auth = await startAuth(
      loadAuthConfig({
        ...base,
        ...testIdentityEnv('auth'),
        JWT_SECRET: testSecrets.jwt.reveal(),
        BCRYPT_COST: '4',
        MERCHANTS_URL: merchants.url,
      }),
      { pglite },
    );
    started.push(auth);
    const env = {
      ...base,
      ...testIdentityEnv('payments'),
      PAYMENTS_CLIENT_SECRET_KEY: clientSecretKey,
      AUTH_URL: auth.url,
      MERCHANTS_URL: merchants.url,
      CHECKOUT_BASE_URL: 'https://checkout.expe.test',
      UPI_PENDING_DELAY_MS: '300',
      SCHEDULER_INTERVAL_MS: '100',
      ...overrides,
    };
    const payments = await startPayments(loadPaymentsConfig(env), { pglite });
    started.push(payments);

    const callAuth = apiClient(auth.url);
    const callMerchants = apiClient(merchants.url);
    const registerUser = async (name = 'Asha Verma', role: 'user' | 'merchant' = 'user') => {
      const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(4).toString('hex')}@example.com`;
      const response = await callAuth('POST', '/v1/auth/register', {
        body: { email, password: 'correct-horse-battery', name, role },
      });
      expect(response.status, response.text).toBe(201);
      const user = response.body.user;
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        vpa: user.vpa,
        principal: { kind: 'user', userId: user.id, role, email: user.email, sessionId: 'test' },
      } satisfies TestUser;
    };
    const createProject = async (owner: TestUser, name: string): Promise<string> => {
      const created = await callMerchants('POST', '/v1/projects', {
        as: owner.principal,
        body: { name },
      });
      expect(created.status, created.text).toBe(201);
      return created.body.id as string;
    };
    const registerMerchant = async (name = 'Chai Point'): Promise<TestMerchant> => {
      const owner = await registerUser(name, 'merchant');
      const me = await callMerchants('GET', '/v1/merchants/me', { as: owner.principal });
      expect(me.status, me.text).toBe(200);
      // The keys act in a real project of the merchant (made in the merchants service).
      const projectId = await createProject(owner, 'Default');
      return { id: me.body.id, name, owner, projectId, ...keysOf(me.body.id, projectId) };
    };
    return {
      call: apiClient(payments.url),
      payments,
      database,
      env,
      registerUser: (name) => registerUser(name),
      registerMerchant,
      async registerMerchants<Names extends string[]>(...names: Names) {
        const merchants: TestMerchant[] = [];
        for (const name of names) merchants.push(await registerMerchant(name));
        return merchants as { [Index in keyof Names]: TestMerchant };
      },
      async addProject(merchant, name = 'Second project') {
        const projectId = await createProject(merchant.owner, name);
        return { projectId, ...keysOf(merchant.id, projectId) };
      },
      count: (table, where) => {
        if (!database) throw new Error('count() needs the PostgreSQL test database');
        return countRows(database.url, `payments.${table}`, where);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The test file's stack: `startStack` before its first test, `stop()` after its last. */
export function stackPerFile(
  label: string,
  overrides: Record<string, string> = {},
  options: { pglite?: PGlite } = {},
): Stack {
  return perFile(
    `the ${label} stack`,
    () => startStack(label, overrides, options),
    (stack) => stack.stop(),
  );
}

export const anonymous: Principal = { kind: 'anonymous' };

export function adminPrincipal(): UserPrincipal {
  return {
    kind: 'user',
    userId: newId('usr'),
    role: 'admin',
    email: 'ops@example.com',
    sessionId: 'test',
  };
}

export function expectError(
  response: ApiResponse,
  status: number,
  code: string,
  param?: string,
): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body?.error?.code, response.text).toBe(code);
  if (param !== undefined) expect(response.body.error.param, response.text).toBe(param);
}

export function uniqueKey(): string {
  return `key-${randomBytes(8).toString('hex')}`;
}

export const sandboxCards = {
  succeeds: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
};

export function cardBody(clientSecret: string, number: string, overrides: object = {}) {
  return {
    client_secret: clientSecret,
    method: 'card',
    card: { number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' },
    ...overrides,
  };
}

export async function createPayment(
  stack: Stack,
  key: KeyPrincipal,
  body: Record<string, unknown> = {},
): Promise<any> {
  const response = await stack.call('POST', '/v1/payments', {
    as: key,
    body: { amount: 49_900, currency: 'inr', description: 'Masala chai', ...body },
  });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/**
 * A paid payment, so the merchant has a balance to refund from: by test card in test mode, from
 * a fresh payer's wallet in live mode (test cards are declined there, ADR 0006).
 */
export async function createPaidPayment(
  stack: Stack,
  key: KeyPrincipal,
  body: Record<string, unknown> = {},
): Promise<any> {
  if (key.mode === 'test') return payWithCard(stack, key, sandboxCards.succeeds, body);
  const payment = await createPayment(stack, key, body);
  const payer = await stack.registerUser('Live Payer');
  await topUp(stack, payer, payment.amount as number);
  const confirmed = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
    as: payer.principal,
    body: { client_secret: payment.client_secret, method: 'wallet' },
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return confirmed.body;
}

/**
 * A test-mode payment created with `body` and confirmed with the sandbox card `number` by its
 * checkout page (the client secret, no credential): the confirm answer (200), whatever the card
 * makes of it (paid, 3-D Secure, disputed).
 */
export async function payWithCard(
  stack: Stack,
  key: KeyPrincipal,
  number: string,
  body: Record<string, unknown> = {},
): Promise<any> {
  const payment = await createPayment(stack, key, body);
  const confirmed = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
    body: cardBody(payment.client_secret, number),
  });
  expect(confirmed.status, confirmed.text).toBe(200);
  return confirmed.body;
}

export async function topUp(stack: Stack, user: TestUser, amount: number): Promise<void> {
  const response = await stack.call('POST', '/v1/wallet/topup', {
    as: user.principal,
    body: { amount },
  });
  expect(response.status, response.text).toBe(201);
}

export async function walletBalance(stack: Stack, user: TestUser): Promise<number> {
  const response = await stack.call('GET', '/v1/wallet', { as: user.principal });
  expect(response.status, response.text).toBe(200);
  return response.body.balance as number;
}

export async function waitFor<T>(
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The key's balance in one currency: what is available and what is still pending. */
export async function balanceOf(stack: Stack, key: KeyPrincipal, currency = 'inr') {
  const response = await stack.call('GET', '/v1/balance', { as: key });
  expect(response.status, response.text).toBe(200);
  const pick = (items: { amount: number; currency: string }[]) =>
    items.find((item) => item.currency === currency)?.amount ?? 0;
  return { available: pick(response.body.available), pending: pick(response.body.pending) };
}

/** Amounts every money-moving endpoint refuses with 400 on `amount`: [as written, value]. */
export const invalidAmounts: [string, unknown][] = [
  ['0', 0],
  ['-1', -1],
  ['1.5', 1.5],
  ['"100"', '100'],
  ['1e20', 1e20],
];

/**
 * The answers to `count` concurrent requests with one Idempotency-Key: at least one 201, every
 * 201 the identical bytes, every other a 409 idempotency_key_in_use. Returns the 201s.
 */
export function expectOneAnswerPerKey(responses: ApiResponse[], count: number): ApiResponse[] {
  const created = responses.filter((response) => response.status === 201);
  const conflicts = responses.filter((response) => response.status === 409);
  expect(created.length + conflicts.length).toBe(count);
  expect(created.length).toBeGreaterThanOrEqual(1);
  for (const response of created) expect(response.bytes.equals(created[0]!.bytes)).toBe(true);
  for (const response of conflicts) {
    expect(response.body.error).toMatchObject({
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
    });
  }
  return created;
}

export async function reconciliation(stack: Stack): Promise<any> {
  const response = await stack.call('GET', '/v1/admin/reconciliation', { as: adminPrincipal() });
  expect(response.status, response.text).toBe(200);
  return response.body;
}
