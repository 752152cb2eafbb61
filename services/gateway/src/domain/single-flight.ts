import { LRUCache } from 'lru-cache';

/**
 * Memoizes an async lookup: answers are reused for `ttlMs` (or `negativeTtlMs` for those the
 * `isNegative` test picks), and concurrent misses of one key share one in-flight call, so a
 * burst on a cold key makes one lookup, not one per request. Failures are not cached.
 */
export function singleFlight<V extends object>(
  load: (key: string) => Promise<V>,
  options: {
    ttlMs: number;
    negativeTtlMs?: number;
    isNegative?: (value: V) => boolean;
    max?: number;
  },
): (key: string) => Promise<V> {
  const cache =
    options.ttlMs > 0
      ? new LRUCache<string, V>({ max: options.max ?? 10_000, ttl: options.ttlMs })
      : undefined;
  const inFlight = new Map<string, Promise<V>>();
  return (key) => {
    const cached = cache?.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = load(key)
        .then((value) => {
          const ttl = options.isNegative?.(value)
            ? Math.min(options.ttlMs, options.negativeTtlMs ?? options.ttlMs)
            : options.ttlMs;
          if (cache && ttl > 0) cache.set(key, value, { ttl });
          return value;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
