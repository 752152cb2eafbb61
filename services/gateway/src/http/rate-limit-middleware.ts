import type { RequestHandler } from 'express';
import {
  AppError,
  rateLimitHeaders,
  type Logger,
  type RateLimitResult,
  type SlidingWindowLimiter,
} from '@expe/server-kit';

/**
 * Two sliding windows: one per client IP (always) and one per caller (API key or user). The
 * tighter one sets the `RateLimit-*` headers. When Redis is down, requests pass: limiting is
 * a protection, not a correctness requirement, and an outage must not take the API down.
 */
export function rateLimitMiddleware(deps: {
  perIp: SlidingWindowLimiter;
  perCaller: SlidingWindowLimiter;
  logger: Logger;
  /** False while Redis is disconnected: requests then pass at once instead of waiting on it. */
  isRedisReady(): boolean;
}): RequestHandler {
  let isDegraded = false;
  return async (_req, res, next) => {
    if (!deps.isRedisReady()) {
      if (!isDegraded)
        deps.logger.warn('Redis is not connected: rate limits are off until it is back');
      isDegraded = true;
      return next();
    }
    isDegraded = false;
    const principal = res.locals.principal;
    const callerKey =
      principal.kind === 'api_key'
        ? `key:${principal.keyId}`
        : principal.kind === 'user'
          ? `user:${principal.userId}`
          : undefined;
    let results: RateLimitResult[];
    try {
      results = await Promise.all([
        deps.perIp.consume(`ip:${res.locals.clientIp ?? 'unknown'}`),
        ...(callerKey ? [deps.perCaller.consume(callerKey)] : []),
      ]);
    } catch (error) {
      deps.logger.warn({ err: error }, 'rate limiter unavailable; request allowed');
      return next();
    }
    const refused = results.find((result) => !result.allowed);
    const binding = refused ?? results.reduce((a, b) => (b.remaining < a.remaining ? b : a));
    const headers = rateLimitHeaders(binding);
    if (refused) {
      throw AppError.of(
        'rate_limited',
        'Too many requests: slow down and retry after the given time',
        {
          headers,
        },
      );
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    next();
  };
}
