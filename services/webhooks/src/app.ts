import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  createServiceApp,
  startService,
  startTelemetry,
  type RunningService,
  type ServiceRuntime,
  type StartServiceOptions,
} from '@expe/server-kit';
import type { WebhooksConfig } from './config.js';
import type {
  DeliveryScheduler,
  DisabledEndpointNotifier,
  WebhooksContext,
} from './domain/context.js';
import {
  createPaymentsEventsNotifier,
  type PaymentsEventsNotifier,
} from './domain/notify-endpoint-disabled.js';
import { createSecretBox } from './domain/secret-box.js';
import { createWebhookSender } from './domain/send-webhook.js';
import { systemResolver, type ResolveHost } from './domain/url-guard.js';
import { webhookEndpointRoutes } from './http/webhook-endpoint-routes.js';
import { createDeliveryQueue, type DeliveryQueue } from './queue.js';
import { startWebhookWorker, type WebhookWorker } from './worker/start-worker.js';

export const serviceName = 'webhooks';

/** One level below the service root, so the path is right from `src/` and from `dist/`. */
export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export type WebhooksAppDeps = ServiceRuntime & {
  config: WebhooksConfig;
  scheduler: DeliveryScheduler;
  notifier: DisabledEndpointNotifier;
  /** DNS for the SSRF guard; tests inject names that resolve wherever they need. */
  resolveHost?: ResolveHost;
};

export interface StartWebhooksOptions {
  pglite?: StartServiceOptions['pglite'];
  resolveHost?: ResolveHost;
  /** Pauses between tries of recording webhook_endpoint.disabled with payments. */
  notifierRetryDelaysMs?: readonly number[];
}

function contextOf(deps: WebhooksAppDeps): WebhooksContext {
  return {
    db: deps.db,
    config: deps.config,
    logger: deps.logger,
    secretBox: createSecretBox(deps.config.WEBHOOK_SECRET_ENCRYPTION_KEY),
    resolveHost: deps.resolveHost ?? systemResolver,
    scheduler: deps.scheduler,
    notifier: deps.notifier,
  };
}

/** The webhooks HTTP API without a listener. */
export function createApp(deps: WebhooksAppDeps): Express {
  return createServiceApp({
    name: serviceName,
    logger: deps.logger,
    internalAuthSecret: deps.config.INTERNAL_AUTH_SECRET,
    checks: {
      postgres: () => deps.database.ping(),
      redis: () => deps.redis.ping(),
    },
    routes: [webhookEndpointRoutes(contextOf(deps))],
  });
}

interface Parts {
  deliveryQueue: DeliveryQueue;
  notifier: PaymentsEventsNotifier;
  worker?: WebhookWorker;
  close(): Promise<void>;
}

function createParts(
  runtime: ServiceRuntime,
  config: WebhooksConfig,
  options: StartWebhooksOptions,
): Parts {
  const deliveryQueue = createDeliveryQueue(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const notifier = createPaymentsEventsNotifier({
    paymentsUrl: config.PAYMENTS_URL,
    secret: config.INTERNAL_AUTH_SECRET,
    logger: runtime.logger,
    retryDelaysMs: options.notifierRetryDelaysMs,
  });
  const parts: Parts = {
    deliveryQueue,
    notifier,
    async close() {
      await parts.worker?.close();
      await notifier.drain(config.SHUTDOWN_TIMEOUT_MS);
      await deliveryQueue.close();
    },
  };
  return parts;
}

function runWorker(
  runtime: ServiceRuntime,
  config: WebhooksConfig,
  options: StartWebhooksOptions,
  parts: Parts,
): WebhookWorker {
  // Metrics instruments bind to the provider that exists when they are made.
  startTelemetry(serviceName);
  const deps = {
    ...contextOf({
      ...runtime,
      config,
      scheduler: parts.deliveryQueue,
      notifier: parts.notifier,
      resolveHost: options.resolveHost,
    }),
    sender: createWebhookSender({
      timeoutMs: config.DELIVERY_TIMEOUT_MS,
      resolve: options.resolveHost ?? systemResolver,
    }),
    retrySchedule: config.RETRY_SCHEDULE,
    deliveryQueue: parts.deliveryQueue,
  };
  const worker = startWebhookWorker(deps);
  return {
    async close() {
      await worker.close();
      await deps.sender.close();
    },
  };
}

/**
 * Migrates the `webhooks` schema, serves the endpoint API and, unless RUN_WORKER=false, runs
 * the delivery worker in the same process. `npm start`, main.ts and tests all use it.
 */
export async function startWebhooks(
  config: WebhooksConfig,
  options: StartWebhooksOptions = {},
): Promise<RunningService> {
  let parts: Parts | undefined;
  let runtime: ServiceRuntime | undefined;
  const running = await startService({
    name: serviceName,
    config,
    pglite: options.pglite,
    migrations: { folder: migrationsFolder, schema: 'webhooks' },
    build: (serviceRuntime) => {
      runtime = serviceRuntime;
      parts = createParts(serviceRuntime, config, options);
      return createApp({
        ...serviceRuntime,
        config,
        scheduler: parts.deliveryQueue,
        notifier: parts.notifier,
        resolveHost: options.resolveHost,
      });
    },
    onClose: () => parts?.close() ?? Promise.resolve(),
  }).catch(async (error: unknown) => {
    await parts?.close();
    throw error;
  });
  if (config.RUN_WORKER && parts && runtime) {
    parts.worker = runWorker(runtime, config, options, parts);
  }
  return running;
}

/**
 * The delivery worker without the endpoint API (`worker-main.ts`): it still listens on PORT
 * for /healthz, /readyz and /metrics, so it can be probed and scraped like any service.
 */
export async function startWebhooksWorker(
  config: WebhooksConfig,
  options: StartWebhooksOptions = {},
): Promise<RunningService> {
  let parts: Parts | undefined;
  let runtime: ServiceRuntime | undefined;
  const running = await startService({
    name: `${serviceName}-worker`,
    config,
    pglite: options.pglite,
    migrations: { folder: migrationsFolder, schema: 'webhooks' },
    build: (serviceRuntime) => {
      runtime = serviceRuntime;
      parts = createParts(serviceRuntime, config, options);
      return createServiceApp({
        name: `${serviceName}-worker`,
        logger: serviceRuntime.logger,
        internalAuthSecret: config.INTERNAL_AUTH_SECRET,
        checks: {
          postgres: () => serviceRuntime.database.ping(),
          redis: () => serviceRuntime.redis.ping(),
        },
        routes: [],
      });
    },
    onClose: () => parts?.close() ?? Promise.resolve(),
  }).catch(async (error: unknown) => {
    await parts?.close();
    throw error;
  });
  if (parts && runtime) parts.worker = runWorker(runtime, config, options, parts);
  return running;
}
