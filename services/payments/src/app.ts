import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { ZodError } from 'zod';
import {
  createEventQueue,
  createServiceApp,
  gatewayForwards,
  identitySignerOf,
  identityVerifierOf,
  startEventLogWorker,
  startService,
  type EventLogWorker,
  type RunningService,
  type ServiceRuntime,
  type StartServiceOptions,
} from '@expe/server-kit';
import { createAuthClient } from './clients/auth-client.js';
import { createMerchantsClient } from './clients/merchants-client.js';
import type { PaymentsConfig } from './config.js';
import type { MerchantDirectory, PaymentsContext, UserDirectory } from './shared/domain/context.js';
import { createClock, type Clock } from './shared/domain/clock.js';
import { createPaymentMetrics } from './shared/domain/metrics.js';
import { recordWebhookEndpointEvent } from './events/domain/record-webhook-endpoint-event.js';
import { createPaymentLinks } from './payments/domain/resources.js';
import { adminRoutes } from './reconciliation/http/admin-routes.js';
import { balanceRoutes } from './balance/http/balance-routes.js';
import { customerRoutes } from './instruments/http/customer-routes.js';
import { paymentMethodRoutes } from './instruments/http/payment-method-routes.js';
import { setupIntentRoutes } from './instruments/http/setup-intent-routes.js';
import { disputeRoutes } from './balance/http/dispute-routes.js';
import { internalRoutes } from './payments/http/internal-routes.js';
import { merchantAccountRoutes } from './payments/http/merchant-account-routes.js';
import { paymentLinkRoutes } from './checkout/http/payment-link-routes.js';
import { checkoutSessionRoutes } from './checkout/http/checkout-session-routes.js';
import { paymentRoutes } from './payments/http/payment-routes.js';
import { payoutRoutes } from './balance/http/payout-routes.js';
import { qrCodeRoutes } from './checkout/http/qr-code-routes.js';
import { refundRoutes } from './payments/http/refund-routes.js';
import { chargeRoutes } from './payments/http/charge-routes.js';
import { testHelperRoutes } from './sandbox/http/test-helper-routes.js';
import { walletRoutes } from './wallet/http/wallet-routes.js';
import { paymentsIdempotencyStore } from './shared/db/idempotency-repository.js';
import { createPaymentsLogger } from './lib/logger.js';
import { startRelayLoop, type RelayLoop } from './lib/relay-loop.js';
import { startScheduler, type Scheduler } from './lib/scheduler.js';

export const serviceName = 'payments';

/** One level below the service root, so the path is right from `src/` and from `dist/`. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export type PaymentsAppDeps = Pick<ServiceRuntime, 'db' | 'database' | 'redis' | 'logger'> & {
  config: PaymentsConfig;
  /** Replace the auth and merchants lookups (they default to HTTP clients of those services). */
  users?: UserDirectory;
  merchants?: MerchantDirectory;
  /** Replace real time (the base of every merchant's clock). */
  clock?: Clock;
  /** The process's outbox relay (none in an app without one: its safety poll is elsewhere). */
  wakeRelay?: () => void;
};

export function createContext(deps: PaymentsAppDeps): PaymentsContext {
  const { config } = deps;
  return {
    db: deps.db,
    config,
    logger: deps.logger,
    users:
      deps.users ??
      createAuthClient({ baseUrl: config.AUTH_URL, signer: identitySignerOf('payments', config) }),
    merchants:
      deps.merchants ??
      createMerchantsClient({
        baseUrl: config.MERCHANTS_URL,
        signer: identitySignerOf('payments', config),
      }),
    links: createPaymentLinks(config.PAYMENTS_CLIENT_SECRET_KEY, config.CHECKOUT_BASE_URL),
    metrics: createPaymentMetrics(),
    clock: deps.clock ?? createClock(),
    wakeRelay: deps.wakeRelay ?? (() => {}),
  };
}

/** The payments HTTP app without a listener (and without the scheduler). */
export function createApp(deps: PaymentsAppDeps, ctx = createContext(deps)): Express {
  const app = createServiceApp({
    name: serviceName,
    logger: deps.logger,
    identity: identityVerifierOf('payments', deps.config, { gateway: gatewayForwards }),
    checks: {
      postgres: () => deps.database.ping(),
      redis: () => deps.redis.ping(),
    },
    // A request walks the routers in this order until one matches: the P2P transfer, the
    // busiest route, first (no two routers share a path, so the order changes nothing else).
    routes: [
      walletRoutes(ctx),
      paymentRoutes(ctx),
      refundRoutes(ctx),
      chargeRoutes(ctx),
      balanceRoutes(ctx),
      payoutRoutes(ctx),
      disputeRoutes(ctx),
      customerRoutes(ctx),
      paymentMethodRoutes(ctx),
      setupIntentRoutes(ctx),
      qrCodeRoutes(ctx),
      paymentLinkRoutes(ctx),
      checkoutSessionRoutes(ctx),
      testHelperRoutes(ctx),
      merchantAccountRoutes(ctx),
      adminRoutes(ctx),
      internalRoutes(ctx),
    ],
    idempotency: {
      db: ctx.db,
      store: paymentsIdempotencyStore,
      ttlSeconds: deps.config.IDEMPOTENCY_TTL_SECONDS,
    },
  });
  // Now that the kit has started OpenTelemetry, the instruments register with the real SDK.
  ctx.metrics.start();
  return app;
}

/**
 * Migrates the `payments` schema, serves the app and runs the scheduler (pending UPI payments,
 * expiry, idempotency-key cleanup); main.ts, `npm start` and tests all use it.
 */
export function startPayments(
  config: PaymentsConfig,
  options: { pglite?: StartServiceOptions['pglite'] } = {},
): Promise<RunningService> {
  let scheduler: Scheduler | undefined;
  let relay: RelayLoop | undefined;
  let eventLog: EventLogWorker | undefined;
  const eventQueue = createEventQueue(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  return startService({
    name: serviceName,
    config,
    logger: createPaymentsLogger(config.LOG_LEVEL),
    pglite: options.pglite,
    migrations: { folder: migrationsFolder, schema: 'payments' },
    build: (runtime) => {
      const ctx = createContext({ ...runtime, config, wakeRelay: () => relay?.wake() });
      const app = createApp({ ...runtime, config }, ctx);
      scheduler = startScheduler({
        db: runtime.db,
        logger: runtime.logger,
        metrics: ctx.metrics,
        clock: ctx.clock,
        intervalMs: config.SCHEDULER_INTERVAL_MS,
        idleIntervalMs: config.SCHEDULER_IDLE_INTERVAL_MS,
        merchants: ctx.merchants,
        sandboxSweepEveryMs: config.SANDBOX_SWEEP_INTERVAL_MS,
      });
      relay = startRelayLoop({
        db: runtime.db,
        database: runtime.database,
        queue: eventQueue,
        publisher: runtime.redis,
        keyPrefix: config.REDIS_KEY_PREFIX,
        logger: runtime.logger,
        intervalMs: config.RELAY_INTERVAL_MS,
        // An event means something happened: due work it made is done on time.
        onRelayed: () => scheduler?.wake(),
      });
      // Events other services record in their own outbox join the event log (ADR 0009).
      eventLog = startEventLogWorker({
        redisUrl: config.REDIS_URL,
        keyPrefix: config.REDIS_KEY_PREFIX,
        logger: runtime.logger,
        record: (data) => recordWebhookEndpointEvent(runtime.db, data).then(() => undefined),
        isInvalid: (error) => error instanceof ZodError,
      });
      return app;
    },
    onClose: async () => {
      await scheduler?.stop();
      await relay?.stop();
      await eventLog?.close();
      await eventQueue.close();
    },
  });
}
