import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import type RedisMock from 'ioredis-mock';

export type { Redis };

/**
 * REDIS_URL of a platform that runs in one process without a Redis server (`npm start` on a
 * machine with none): the caches, rate limits and pub/sub are an in-memory stand-in for Redis
 * (ioredis-mock: the same client API and commands, the Lua scripts included) and the job queues
 * are held in process (`openJobQueues`). Every service of the process with this URL shares them.
 */
export const embeddedRedisUrl = 'memory://expe';

export function isEmbeddedRedisUrl(url: string): boolean {
  return url.startsWith('memory:');
}

/**
 * An in-memory client for a `memory:` URL: clients of one URL share their data and channels,
 * as clients of one Redis server do. It is always connected (`status` 'ready').
 */
function createEmbeddedRedis(url: string, keyPrefix: string | undefined): Redis {
  // Loaded only here: a process with a Redis server never pays for the stand-in (and its Lua).
  const InMemoryRedis = createRequire(import.meta.url)('ioredis-mock') as typeof RedisMock;
  const client: Redis = new InMemoryRedis({
    host: `embedded-${new URL(url).host || 'expe'}`,
    port: 0,
    ...(keyPrefix ? { keyPrefix } : {}),
  });
  client.status = 'ready';
  embeddedClients.set(client, { deployment: url, keyPrefix: keyPrefix ?? '' });
  return client;
}

const embeddedClients = new WeakMap<Redis, { deployment: string; keyPrefix: string }>();

/**
 * The deployment (its `memory:` URL) and key prefix of an embedded client; undefined for a
 * client of a Redis server. For the parts that keep their own in-process state where Redis
 * would run a script (the rate limiter).
 */
export function embeddedClientOf(
  redis: Redis,
): { deployment: string; keyPrefix: string } | undefined {
  return embeddedClients.get(redis);
}

/**
 * One ioredis client per service. Commands fail fast while Redis is down (instead of queueing
 * forever), so callers can degrade; the client keeps reconnecting in the background.
 */
export function createRedis(url: string, options: { keyPrefix?: string; name?: string } = {}) {
  if (isEmbeddedRedisUrl(url)) return createEmbeddedRedis(url, options.keyPrefix);
  return new Redis(url, {
    keyPrefix: options.keyPrefix,
    connectionName: options.name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/**
 * A client for pub/sub subscriptions (it can do nothing else once subscribed): it waits through
 * a Redis outage and subscribes again after it, instead of failing.
 */
export function createSubscriber(url: string, options: { name?: string } = {}): Redis {
  if (isEmbeddedRedisUrl(url)) return createEmbeddedRedis(url, undefined);
  return new Redis(url, {
    connectionName: options.name,
    lazyConnect: false,
    maxRetriesPerRequest: null,
  });
}
