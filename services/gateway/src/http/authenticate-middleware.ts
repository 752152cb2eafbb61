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
 * IP gets 429 with Retry-After, and this replica answers it without even looking the credential
 * up until the window frees. Requests without credentials are never counted. `Expe-Project` and
 * `Expe-Mode` let a merchant user's session act as a project's secret key (domain/authenticate).
 */
export function authenticateMiddleware(deps: {
  authenticate(authorization: string | undefined, actingAs?: ActingAs): Promise<Principal>;
  failures: SlidingWindowLimiter;
  logger: Logger;
}): RequestHandler {
  const blockedUntil = new LRUCache<string, number>({ max: 10_000 });

  const tooMany = (retryAfterMs: number) =>
    AppError.of('rate_limited', 'Too many failed authentications from this address; retry later', {
      headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    });

  return async (req, res, next) => {
    const authorization = req.header('authorization');
    const ip = res.locals.clientIp ?? 'unknown';
    const until = authorization ? blockedUntil.get(ip) : undefined;
    if (until !== undefined && until > Date.now()) throw tooMany(until - Date.now());
    try {
      res.locals.principal = await deps.authenticate(authorization, {
        project: req.header('expe-project'),
        mode: req.header('expe-mode'),
      });
    } catch (error) {
      if (!(error instanceof AppError) || error.httpStatus !== 401 || !authorization) throw error;
      let result;
      try {
        result = await deps.failures.consume(`ip:${ip}`);
      } catch (limiterError) {
        deps.logger.warn({ err: limiterError }, 'failed-authentication limiter unavailable');
        throw error;
      }
      if (result.allowed) throw error;
      blockedUntil.set(ip, Date.now() + result.resetMs, { ttl: Math.max(1, result.resetMs) });
      throw AppError.of(
        'rate_limited',
        'Too many failed authentications from this address; retry later',
        {
          headers: rateLimitHeaders(result),
        },
      );
    }
    next();
  };
}
