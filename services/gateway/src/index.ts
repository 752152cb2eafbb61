import {
  createLogger,
  createRedis,
  listen,
  startTelemetry,
  type RunningService,
} from '@expe/server-kit';
import { createGateway } from './app.js';
import type { GatewayConfig } from './config.js';
import { attachRealtime } from './realtime/realtime-server.js';

export { createApp, createGateway } from './app.js';
export { gatewayConfigSchema, loadGatewayConfig, type GatewayConfig } from './config.js';

/** Like stripe-mock's, so a Stripe client configured for it needs no change. */
export const defaultStripePort = 12111;

export interface RunningGateway extends RunningService {
  /** The Stripe-compatible API's base URL, when STRIPE_ENABLED. */
  stripeUrl: string | undefined;
}

/** The gateway has no tables of its own: it needs Redis and the services' URLs. */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  // Before the app is built: its metrics instruments bind to the provider that exists then.
  startTelemetry('gateway');
  const logger = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
  const redis = createRedis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    name: 'expe-gateway',
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const gateway = createGateway({ config, redis, logger });
  const server = await listen(gateway.app, {
    port: config.PORT,
    host: config.HOST,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    drainMs: config.SHUTDOWN_DRAIN_MS,
  });
  const realtime = attachRealtime(server.server, {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    pingIntervalMs: config.WS_PING_INTERVAL_MS,
    maxSubscriptionsPerSocket: 50,
    recheckIntervalMs: config.WS_RECHECK_SECONDS * 1000,
    maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
    maxMessageDepth: config.WS_MAX_MESSAGE_DEPTH,
    messageRate: { perSecond: config.WS_MESSAGE_RATE, burst: config.WS_MESSAGE_BURST },
    logger,
    authorize: gateway.authorizeSubscription,
  });
  const stripeServer = config.STRIPE_ENABLED
    ? await listen(gateway.stripeApp, {
        port: config.STRIPE_PORT ?? (config.PORT === 0 ? 0 : defaultStripePort),
        host: config.HOST,
        shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
        drainMs: config.SHUTDOWN_DRAIN_MS,
      })
    : undefined;
  logger.info({ url: server.url, stripeUrl: stripeServer?.url }, 'gateway listening');
  return {
    name: 'gateway',
    url: server.url,
    port: server.port,
    stripeUrl: stripeServer?.url,
    async close() {
      await realtime.close();
      await Promise.all([server.close(), stripeServer?.close()]);
      await gateway.close();
      redis.disconnect();
    },
  };
}
