import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { apiKeyIn, type ActingAs } from '../domain/authenticate.js';
import {
  AppError,
  rateLimitHeaders,
  sha256Hex,
  type Logger,
  type Principal,
  type SlidingWindowLimiter,
} from '@expe/server-kit';

/**
 * Authenticates every /v1 request, and rate-limits failed authentication per client IP: each
 * 401 counts in a sliding window in Redis (shared by every gateway replica); past the limit the
 * IP's failures get 429 with Retry-After until the window frees. Only failures are limited, not
 * the address's good traffic (an office behind one NAT, a CI runner beside a misconfigured job):
 * from a blocked IP, an access token (checked here, no lookup) and an API key this gateway has
 * seen resolve within `goodCredentialTtlMs` are still authenticated; any other credential is
 * refused unseen, so a blocked address neither learns anything from a guess nor makes the
 * gateway look one up. Requests without credentials are never counted. `Expe-Project` and
 * `Expe-Mode` let a merchant user's session act as a project's secret key (domain/authenticate).
 */
export function authenticateMiddleware(deps: {
  authenticate(authorization: string | undefined, actingAs?: ActingAs): Promise<Principal>;
  failures: SlidingWindowLimiter;
  logger: Logger;
  goodCredentialTtlMs?: number;
}): RequestHandler {
  const blockedUntil = new LRUCache<string, number>({ max: 10_000 });
  /** Hashes of API keys that resolved lately: they still work from a blocked address. */
  const goodKeys = new LRUCache<string, true>({
    max: 100_000,
    ttl: deps.goodCredentialTtlMs ?? 3_600_000,
  });

  const tooMany = (headers: Record<string, string>) =>
    AppError.of('rate_limited', 'Too many failed authentications from this address; retry later', {
      headers,
    });
  const retryAfter = (until: number) => ({
    'Retry-After': String(Math.max(1, Math.ceil((until - Date.now()) / 1000))),
  });

  return async (req, res, next) => {
    const authorization = req.header('authorization');
    const ip = res.locals.clientIp ?? 'unknown';
    const until = authorization ? blockedUntil.get(ip) : undefined;
    const isBlocked = until !== undefined && until > Date.now();
    // Hashed once: the same hash is the key's entry here and its lookup's (domain/authenticate).
    const apiKey = apiKeyIn(authorization);
    const keyHash = apiKey !== undefined ? sha256Hex(apiKey) : undefined;
    if (isBlocked && keyHash !== undefined && !goodKeys.has(keyHash)) {
      throw tooMany(retryAfter(until));
    }
    try {
      res.locals.principal = await deps.authenticate(authorization, {
        project: req.header('expe-project'),
        mode: req.header('expe-mode'),
        apiKeyHash: keyHash,
      });
      if (keyHash !== undefined) goodKeys.set(keyHash, true);
    } catch (error) {
      if (!(error instanceof AppError) || error.httpStatus !== 401 || !authorization) throw error;
      if (keyHash !== undefined) goodKeys.delete(keyHash);
      if (isBlocked) throw tooMany(retryAfter(until));
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
