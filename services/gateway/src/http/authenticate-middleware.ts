import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { ActingAs } from '../domain/authenticate.js';
import {
  AppError,
  rateLimitHeaders,
  type Logger,
  type Principal,
  type SlidingWindowLimiter,
} from '@expe/server-kit';

/**
 * Authenticates every /v1 request, and rate-limits failed authentication per client IP: each
 * 401 counts in a sliding window in Redis (shared by every gateway replica); past the limit the
 * IP's failures get 429 with Retry-After until the window frees. Only failures are limited, not
 * the address: a credential that resolves still works from a blocked IP (an office behind one
 * NAT, a CI runner next to a misconfigured job), while every unknown or bad one is refused
 * unseen — a guess made from a blocked address learns nothing. Requests without credentials
 * are never counted. `Expe-Project` and `Expe-Mode` let a merchant user's session act as a
 * project's secret key (domain/authenticate).
 */
export function authenticateMiddleware(deps: {
  authenticate(authorization: string | undefined, actingAs?: ActingAs): Promise<Principal>;
  failures: SlidingWindowLimiter;
  logger: Logger;
}): RequestHandler {
  const blockedUntil = new LRUCache<string, number>({ max: 10_000 });

  const tooMany = (headers: Record<string, string>) =>
    AppError.of('rate_limited', 'Too many failed authentications from this address; retry later', {
      headers,
    });

  return async (req, res, next) => {
    const authorization = req.header('authorization');
    const ip = res.locals.clientIp ?? 'unknown';
    try {
      res.locals.principal = await deps.authenticate(authorization, {
        project: req.header('expe-project'),
        mode: req.header('expe-mode'),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.httpStatus !== 401 || !authorization) throw error;
      // Blocked already: refused without counting (the window frees as it would anyway).
      const until = blockedUntil.get(ip);
      if (until !== undefined && until > Date.now()) {
        throw tooMany({
          'Retry-After': String(Math.max(1, Math.ceil((until - Date.now()) / 1000))),
        });
      }
      let result;
      try {
        result = await deps.failures.consume(`ip:${ip}`);
      } catch (limiterError) {
        deps.logger.warn({ err: limiterError }, 'failed-authentication limiter unavailable');
        throw error;
      }
      if (result.allowed) throw error;
      blockedUntil.set(ip, Date.now() + result.resetMs, { ttl: Math.max(1, result.resetMs) });
      throw tooMany(rateLimitHeaders(result));
    }
    next();
  };
}
