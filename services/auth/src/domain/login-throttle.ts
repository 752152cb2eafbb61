import { createSlidingWindowLimiter, type RateLimitResult, type Redis } from '@expe/server-kit';

export interface LoginAttempt {
  email: string;
  clientIp: string | undefined;
}

export interface LoginThrottleOptions {
  /** Failures of one account (from anywhere) before it has to wait between attempts. */
  maxFailures: number;
  /** The first wait; each further failure doubles it. */
  backoffBaseMs: number;
  /** The longest wait, however many failures. */
  backoffMaxMs: number;
  /** Failures from one client IP (on any accounts) before that IP is refused. */
  maxFailuresPerIp: number;
  /** How long failures are remembered. */
  windowMs: number;
}

/**
 * Failed logins, counted per account and per client IP separately (issue 11, finding 7), so
 * neither can be used to lock out someone else:
 *
 * - An account that keeps failing gets exponential backoff: after `maxFailures` failures it
 *   must wait `backoffBaseMs`, doubling with each further failure up to `backoffMaxMs`. A
 *   stranger can slow an account down by that much at most, never lock it for a quarter of an
 *   hour, and guessing stays slow. The right password during a wait is refused too (otherwise
 *   the wait would not stop guessing); a success forgets the account's failures.
 * - A client IP that fails `maxFailuresPerIp` times within the window (password spraying) is
 *   refused until its failures leave the window. That blocks the IP only: the accounts it tried
 *   still sign in from anywhere else, and one account's failures never block an IP.
 */
export interface LoginThrottle {
  /** The blocking result when this account or IP may not try now. */
  check(attempt: LoginAttempt): Promise<RateLimitResult | undefined>;
  recordFailure(attempt: LoginAttempt): Promise<void>;
  /** A successful login forgets the account's failures (not the IP's: others may share it). */
  clearEmail(email: string): Promise<void>;
}

export function createLoginThrottle(redis: Redis, options: LoginThrottleOptions): LoginThrottle {
  const ipFailures = createSlidingWindowLimiter(redis, {
    name: 'login-failures:ip',
    limit: options.maxFailuresPerIp,
    windowMs: options.windowMs,
  });
  const accountFailuresKey = (email: string) => `auth:login-failures:account:${email}`;
  const accountWaitKey = (email: string) => `auth:login-wait:account:${email}`;
  const ipBlockedKey = (ip: string) => `auth:login-blocked:ip:${ip}`;

  /** The wait after the `failures`-th failure: 0 below the threshold, then doubling. */
  function backoffMs(failures: number): number {
    if (failures < options.maxFailures) return 0;
    const doublings = Math.min(failures - options.maxFailures, 30);
    return Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** doublings);
  }

  return {
    async check({ email, clientIp }) {
      const [accountWait, ipWait] = await Promise.all([
        redis.pttl(accountWaitKey(email)),
        clientIp ? redis.pttl(ipBlockedKey(clientIp)) : Promise.resolve(-2),
      ]);
      if (ipWait > 0) {
        return {
          allowed: false,
          limit: options.maxFailuresPerIp,
          remaining: 0,
          resetMs: ipWait,
        };
      }
      if (accountWait > 0) {
        return { allowed: false, limit: options.maxFailures, remaining: 0, resetMs: accountWait };
      }
      return undefined;
    },
    async recordFailure({ email, clientIp }) {
      const key = accountFailuresKey(email);
      const [[, failures]] = (await redis
        .multi()
        .incr(key)
        .pexpire(key, options.windowMs)
        .exec()) as [[unknown, number], unknown];
      const waitMs = backoffMs(failures);
      if (waitMs > 0) await redis.set(accountWaitKey(email), '1', 'PX', waitMs);
      if (clientIp) {
        const result = await ipFailures.consume(clientIp);
        if (result.remaining === 0) {
          await redis.set(ipBlockedKey(clientIp), '1', 'PX', Math.max(1, result.resetMs));
        }
      }
    },
    async clearEmail(email) {
      await redis.del(accountFailuresKey(email), accountWaitKey(email));
    },
  };
}
