import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  createServiceApp,
  gatewayForwards,
  identityVerifierOf,
  startService,
  type RunningService,
  type ServiceRuntime,
  type StartServiceOptions,
} from '@expe/server-kit';
import type { MerchantsConfig } from './config.js';
import { revocationAnnouncer } from './domain/announce-revocation.js';
import { accountRoutes } from './http/account-routes.js';
import { apiKeyRoutes } from './http/api-key-routes.js';
import { internalRoutes } from './http/internal-routes.js';
import { merchantRoutes } from './http/merchant-routes.js';
import { projectRoutes } from './http/project-routes.js';

export const serviceName = 'merchants';

/** One level below the service root, so the path is right from `src/` and from `dist/`. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export type MerchantsAppDeps = ServiceRuntime & { config: MerchantsConfig };

/** The merchants HTTP app without a listener. */
export function createApp(deps: MerchantsAppDeps): Express {
  const routeDeps = {
    db: deps.db,
    config: deps.config,
    announce: revocationAnnouncer(deps.redis, deps.config.REDIS_KEY_PREFIX),
  };
  return createServiceApp({
    name: serviceName,
    logger: deps.logger,
    identity: identityVerifierOf(serviceName, deps.config, {
      gateway: gatewayForwards,
      auth: [],
      payments: [],
      operator: [],
    }),
    checks: {
      postgres: () => deps.database.ping(),
      redis: () => deps.redis.ping(),
    },
    routes: [
      merchantRoutes(routeDeps),
      projectRoutes(routeDeps),
      apiKeyRoutes(routeDeps),
      accountRoutes(routeDeps),
      internalRoutes(routeDeps),
    ],
    // Answers are stored sealed: an API key's secret is in the answer that creates or rolls it,
    // and a replay must show it again without the table holding it.
    idempotency: {
      db: deps.db,
      store: { schema: 'merchants', sealWith: deps.config.INTERNAL_AUTH_SECRET },
      ttlSeconds: deps.config.IDEMPOTENCY_TTL_SECONDS,
    },
  });
}

/** Migrates the `merchants` schema, then listens; `npm start`, main.ts and tests all use it. */
export function startMerchants(
  config: MerchantsConfig,
  options: { pglite?: StartServiceOptions['pglite'] } = {},
): Promise<RunningService> {
  return startService({
    name: serviceName,
    config,
    pglite: options.pglite,
    migrations: { folder: migrationsFolder, schema: 'merchants' },
    build: (runtime) => createApp({ ...runtime, config }),
  });
}
