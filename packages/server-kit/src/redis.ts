import { Redis } from 'ioredis';

export type { Redis };

/**
 * One ioredis client per service. Commands fail fast while Redis is down (instead of queueing
 * forever), so callers can degrade; the client keeps reconnecting in the background.
 */
export function createRedis(url: string, options: { keyPrefix?: string; name?: string } = {}) {
  return new Redis(url, {
    keyPrefix: options.keyPrefix,
    connectionName: options.name,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
