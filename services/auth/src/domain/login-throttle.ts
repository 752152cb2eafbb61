import { createSlidingWindowLimiter, type RateLimitResult, type Redis } from '@expe/server-kit';

export interface LoginAttempt {
  email: string;
  clientIp: string | undefined;
}

/**
 * Counts failed logins per email and per client IP in a sliding window. The limiter only
 * counts failures, so whether an attempt may proceed is kept in a separate "blocked" key that
 * lives until the oldest failure leaves the window; a correct password is refused while it
 * exists, which is what stops guessing.
 */
export interface LoginThrottle {
  /** The blocking result when this email or IP may not try now. */
  check(attempt: LoginAttempt): Promise<RateLimitResult | undefined>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** A successful login forgets the email's failures (not the IP's: others may share it). */
  clearEmail(email: string): Promise<void>;
}

export function createLoginThrottle(
  redis: Redis,
  options: { maxFailures: number; windowMs: number },
): LoginThrottle {
  const limiters = {
    email: createSlidingWindowLimiter(redis, {
      name: 'login-failures:email',
      limit: options.maxFailures,
      windowMs: options.windowMs,
    }),
    ip: createSlidingWindowLimiter(redis, {
      name: 'login-failures:ip',
      limit: options.maxFailures,
      windowMs: options.windowMs,
    }),
  };
  const blockedKey = (scope: keyof typeof limiters, id: string) =>
    `auth:login-blocked:${scope}:${id}`;
  const subjects = ({ email, clientIp }: LoginAttempt) => [
    ['email', email] as const,
    ...(clientIp ? [['ip', clientIp] as const] : []),
  ];

  return {
    async check(attempt) {
      for (const [scope, id] of subjects(attempt)) {
        const remainingMs = await redis.pttl(blockedKey(scope, id));
        if (remainingMs > 0) {
          return { allowed: false, limit: options.maxFailures, remaining: 0, resetMs: remainingMs };
        }
      }
      return undefined;
    },
    async recordFailure(attempt) {
      for (const [scope, id] of subjects(attempt)) {
        const result = await limiters[scope].consume(id);
        if (result.remaining === 0) {
          await redis.set(blockedKey(scope, id), '1', 'PX', Math.max(1, result.resetMs));
        }
      }
    },
    async clearEmail(email) {
      await limiters.email.reset(email);
      await redis.del(blockedKey('email', email));
    },
  };
}
