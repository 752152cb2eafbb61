import { LRUCache } from 'lru-cache';

/**
 * Memoizes found answers of another service for a short time. Misses are not cached: a user
 * who just signed up must be found at once. Concurrent lookups of one key share one request.
 */
export function cachedLookup<V extends object>(
  load: (key: string) => Promise<V | undefined>,
  options: { ttlMs: number; max?: number },
): (key: string) => Promise<V | undefined> {
  const cache = new LRUCache<string, V>({ max: options.max ?? 5_000, ttl: options.ttlMs });
  const inFlight = new Map<string, Promise<V | undefined>>();
  return async (key) => {
    const cached = cache.get(key);
    if (cached) return cached;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = load(key).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    const value = await pending;
    if (value) cache.set(key, value);
    return value;
  };
}
