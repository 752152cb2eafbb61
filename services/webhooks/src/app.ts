import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import {
  createEventQueue,
  createServiceApp,
  eventLogQueueName,
  gatewayForwards,
  identityVerifierOf,
  startOutboxRelay,
  startService,
  startTelemetry,
  type EventQueue,
  type IdentityVerifier,
  type OutboxRelay,
  type RunningService,
  type ServiceRuntime,
  type StartServiceOptions,
} from '@expe/server-kit';
import type { WebhooksConfig } from './config.js';
import { outbox } from './db/schema.js';
import type { DeliveryScheduler, WebhooksContext } from './domain/context.js';
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
  /** DNS for the SSRF guard; tests inject names that resolve wherever they need. */
  resolveHost?: ResolveHost;
};

export interface StartWebhooksOptions {
  pglite?: StartServiceOptions['pglite'];
  resolveHost?: ResolveHost;
}

function contextOf(deps: WebhooksAppDeps): WebhooksContext {
  return {
    db: deps.db,
    config: deps.config,
    logger: deps.logger,
    secretBox: createSecretBox(deps.config.WEBHOOK_SECRET_ENCRYPTION_KEY),
    resolveHost: deps.resolveHost ?? systemResolver,
    scheduler: deps.scheduler,
  };
}

/** The webhooks HTTP API without a listener. */
/** The gateway, and the operator with a key of the endpoint's project (charts/expe-operator). */
function webhooksIdentity(config: WebhooksConfig): IdentityVerifier {
  return identityVerifierOf(serviceName, config, {
    gateway: gatewayForwards,
    operator: ['api_key'],
  });
}

export function createApp(deps: WebhooksAppDeps): Express {
  return createServiceApp({
    name: serviceName,
    logger: deps.logger,
    identity: webhooksIdentity(deps.config),
    checks: {
      postgres: () => deps.database.ping(),
      redis: () => deps.redis.ping(),
    },
    routes: [webhookEndpointRoutes(contextOf(deps))],
    // Sealed: create and rotate_secret answers carry a signing secret a replay shows again.
    idempotency: {
      db: deps.db,
      store: { schema: 'webhooks', sealWith: deps.config.WEBHOOK_SECRET_ENCRYPTION_KEY },
      ttlSeconds: deps.config.IDEMPOTENCY_TTL_SECONDS,
    },
  });
}

interface Parts {
  deliveryQueue: DeliveryQueue;
  worker?: WebhookWorker;
  close(): Promise<void>;
}

/**
 * The delivery queue, and the outbox relay with its two queues (ADR 0009): every replica runs
 * the relay, which claims rows with SKIP LOCKED, so they share the work.
 */
// unscoped: the relay moves every project's outbox rows, oldest first; each keeps its own project.
function createParts(runtime: ServiceRuntime, config: WebhooksConfig): Parts {
  const deliveryQueue = createDeliveryQueue(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const fanOut: EventQueue = createEventQueue(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const eventLog: EventQueue = createEventQueue(
    config.REDIS_URL,
    config.REDIS_KEY_PREFIX,
    eventLogQueueName,
  );
  // Every event of this outbox is a merchant's: the fan-out and the event log take each.
  const relay: OutboxRelay = startOutboxRelay({
    db: runtime.db,
    table: outbox,
    database: runtime.database,
    queues: [fanOut, eventLog],
    publisher: runtime.redis,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: runtime.logger,
    intervalMs: config.RELAY_INTERVAL_MS,
  });
  const parts: Parts = {
    deliveryQueue,
    async close() {
      await relay.stop();
      await parts.worker?.close();
      await Promise.all([fanOut.close(), eventLog.close(), deliveryQueue.close()]);
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
export function startWebhooks(
  config: WebhooksConfig,
  options: StartWebhooksOptions = {},
): Promise<RunningService> {
  return startWithParts(serviceName, config, options, config.RUN_WORKER, (serviceRuntime, parts) =>
    createApp({
      ...serviceRuntime,
      config,
      scheduler: parts.deliveryQueue,
      resolveHost: options.resolveHost,
    }),
  );
}

/**
 * The delivery worker without the endpoint API (`worker-main.ts`): it still listens on PORT
 * for /healthz, /readyz and /metrics, so it can be probed and scraped like any service.
 */
export function startWebhooksWorker(
  config: WebhooksConfig,
  options: StartWebhooksOptions = {},
): Promise<RunningService> {
  const name = `${serviceName}-worker`;
  return startWithParts(name, config, options, true, (serviceRuntime) =>
    createServiceApp({
      name,
      logger: serviceRuntime.logger,
      identity: webhooksIdentity(config),
      checks: {
        postgres: () => serviceRuntime.database.ping(),
        redis: () => serviceRuntime.redis.ping(),
      },
      routes: [],
    }),
  );
}

/**
 * Starts the service with its parts (queues, sender), closing them when it stops or fails to
 * start, and runs the delivery worker in it when `withWorker`.
 */
async function startWithParts(
  name: string,
  config: WebhooksConfig,
  options: StartWebhooksOptions,
  withWorker: boolean,
  buildApp: (runtime: ServiceRuntime, parts: Parts) => Express,
): Promise<RunningService> {
  let parts: Parts | undefined;
  let runtime: ServiceRuntime | undefined;
  const running = await startService({
    name,
    config,
    pglite: options.pglite,
    migrations: { folder: migrationsFolder, schema: 'webhooks' },
    build: (serviceRuntime) => {
      runtime = serviceRuntime;
      parts = createParts(serviceRuntime, config);
      return buildApp(serviceRuntime, parts);
    },
    onClose: () => parts?.close() ?? Promise.resolve(),
  }).catch(async (error: unknown) => {
    await parts?.close();
    throw error;
  });
  if (withWorker && parts && runtime) {
    parts.worker = runWorker(runtime, config, options, parts);
  }
  return running;
}
