import { fileURLToPath } from 'node:url';
import {
  createServiceApp,
  gatewayForwards,
  identitySignerOf,
  identityVerifierOf,
  sql,
  startService,
  type Database,
  type Logger,
  type Redis,
  type RunningService,
  type StartServiceOptions,
} from '@expe/server-kit';
import type { Express } from 'express';
import { createMerchantsClient } from './clients/merchants-client.js';
import { isCookieSecure, isDevMailboxEnabled, type AuthConfig } from './config.js';
import type { AuthContext } from './domain/context.js';
import { createLoginThrottle } from './domain/login-throttle.js';
import { createPasswordHasher } from './domain/passwords.js';
import { createAdminRouter } from './http/admin-routes.js';
import { createAuthRouter } from './http/auth-routes.js';
import { createInternalRouter } from './http/internal-routes.js';
import { createMailboxRouter } from './http/mailbox-routes.js';
import { createRefreshCookie } from './http/refresh-cookie.js';
import { createBackgroundTasks, type BackgroundTasks } from './lib/background-tasks.js';

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface AuthAppDeps {
  config: AuthConfig;
  db: Database;
  redis: Redis;
  logger: Logger;
  /** Work that outlives a request; pass one to drain it on shutdown. */
  background?: BackgroundTasks;
}

/** The auth service's Express app, without a listener. */
export function createApp(deps: AuthAppDeps): Express {
  const { config, db, redis, logger } = deps;
  const ctx: AuthContext = {
    config,
    db,
    redis,
    logger,
    passwords: createPasswordHasher(config.BCRYPT_COST),
    loginThrottle: createLoginThrottle(redis, {
      maxFailures: config.LOGIN_MAX_FAILURES,
      backoffBaseMs: config.LOGIN_BACKOFF_BASE_MS,
      backoffMaxMs: config.LOGIN_BACKOFF_MAX_SECONDS * 1000,
      maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
      windowMs: config.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
    }),
    merchants: createMerchantsClient({
      baseUrl: config.MERCHANTS_URL,
      signer: identitySignerOf('auth', config),
    }),
    background: deps.background ?? createBackgroundTasks(logger),
    isDevMailboxEnabled: isDevMailboxEnabled(config),
  };
  const cookie = createRefreshCookie({
    secure: isCookieSecure(config),
    maxAgeSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
  });
  return createServiceApp({
    name: 'auth',
    logger,
    identity: identityVerifierOf('auth', config, { gateway: gatewayForwards, payments: [] }),
    checks: {
      postgres: () => db.execute(sql`select 1`),
      redis: () => redis.ping(),
    },
    routes: [
      createAuthRouter(ctx, cookie),
      createAdminRouter(ctx),
      createInternalRouter(ctx),
      ...(ctx.isDevMailboxEnabled ? [createMailboxRouter(ctx)] : []),
    ],
    idempotency: {
      db,
      store: { schema: 'auth' },
      ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
    },
  });
}

/** Migrates the `auth` schema and serves the app; used by main.ts, `npm start` and tests. */
export async function startAuth(
  config: AuthConfig,
  options: { pglite?: StartServiceOptions['pglite']; logger?: Logger } = {},
): Promise<RunningService> {
  let background: BackgroundTasks | undefined;
  return startService({
    name: 'auth',
    config,
    pglite: options.pglite,
    ...(options.logger ? { logger: options.logger } : {}),
    migrations: { folder: migrationsFolder, schema: 'auth' },
    build: ({ db, redis, logger }) => {
      background = createBackgroundTasks(logger);
      return createApp({ config, db, redis, logger, background });
    },
    onClose: async () => {
      await background?.drain();
    },
  });
}
