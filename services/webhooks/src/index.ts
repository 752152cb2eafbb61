export {
  createApp,
  migrationsFolder,
  serviceName,
  startWebhooks,
  startWebhooksWorker,
  type StartWebhooksOptions,
  type WebhooksAppDeps,
} from './app.js';
export { loadWebhooksConfig, webhooksConfigSchema, type WebhooksConfig } from './config.js';
export {
  bullPrefix,
  createBullConnection,
  createEventQueue,
  deliveriesQueueName,
  eventsQueueName,
  type DeliveryJobData,
  type EventJobData,
  type EventQueue,
} from './queue.js';
export type { ResolveHost, ResolvedAddress } from './domain/url-guard.js';
