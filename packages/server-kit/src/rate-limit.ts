import { embeddedClientOf, type Redis } from './redis.js';

/**
 * Sliding-window log in one Redis sorted set per key: exact (no fixed-window bursts at the
 * boundary), atomic (one Lua script), and self-cleaning (the key expires with the window).
 */
const script = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, member)
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, window)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local oldestScore = now
if oldest[2] then oldestScore = tonumber(oldest[2]) end
return {allowed, count, oldestScore}
`;

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the oldest request leaves the window (a slot frees up). */
  resetMs: number;
}

export interface SlidingWindowLimiter {
  consume(key: string): Promise<RateLimitResult>;
  /** Forgets a key, e.g. after a successful login. */
  reset(key: string): Promise<void>;
}

let sequence = 0;

type SlidingWindowCommand = (
  key: string,
  now: number,
  windowMs: number,
  limit: number,
  member: string,
) => Promise<[number, number, number]>;

/**
 * The script as a command of the connection: ioredis sends it by EVALSHA (the script's hash,
 * not its text) and loads it once with EVAL when Redis answers NOSCRIPT (after a restart).
 */
function slidingWindowCommand(redis: Redis): SlidingWindowCommand {
  const commands = redis as unknown as { expeSlidingWindow?: SlidingWindowCommand };
  if (!commands.expeSlidingWindow) {
    redis.defineCommand('expeSlidingWindow', { numberOfKeys: 1, lua: script });
  }
  return (commands.expeSlidingWindow as SlidingWindowCommand).bind(redis);
}

/**
 * The same sliding-window log as the script, for an embedded (in-process) Redis: the stand-in
 * runs Lua in an interpreter written in JavaScript, some 20–30 ms a call, where this takes
 * microseconds. Shared by every client of one embedded deployment, as keys of one server are.
 */
const inProcessWindows = new Map<string, { hits: number[]; windowMs: number }>();
let callsSinceSweep = 0;

function inProcessSlidingWindow(
  key: string,
  now: number,
  windowMs: number,
  limit: number,
): [number, number, number] {
  // Now and then forget the windows nobody used for longer than they last (as keys expire).
  if (++callsSinceSweep >= 1_000) {
    callsSinceSweep = 0;
    for (const [stored, { hits, windowMs: span }] of inProcessWindows) {
      if ((hits.at(-1) ?? 0) <= now - span) inProcessWindows.delete(stored);
    }
  }
  const window = inProcessWindows.get(key) ?? { hits: [], windowMs };
  window.windowMs = windowMs;
  window.hits = window.hits.filter((hit) => hit > now - windowMs);
  let allowed = 0;
  if (window.hits.length < limit) {
    window.hits.push(now);
    allowed = 1;
  }
  inProcessWindows.set(key, window);
  return [allowed, window.hits.length, window.hits[0] ?? now];
}

export function createSlidingWindowLimiter(
  redis: Redis,
  options: { name: string; limit: number; windowMs: number },
): SlidingWindowLimiter {
  const keyFor = (key: string) => `ratelimit:${options.name}:${key}`;
  const embedded = embeddedClientOf(redis);
  if (embedded) {
    const storedKey = (key: string) =>
      `${embedded.deployment}\u0000${embedded.keyPrefix}${keyFor(key)}`;
    return {
      consume(key) {
        const now = Date.now();
        const [allowed, count, oldest] = inProcessSlidingWindow(
          storedKey(key),
          now,
          options.windowMs,
          options.limit,
        );
        return Promise.resolve(resultOf(options, now, allowed, count, oldest));
      },
      reset(key) {
        inProcessWindows.delete(storedKey(key));
        return Promise.resolve();
      },
    };
  }
  const slidingWindow = slidingWindowCommand(redis);
  return {
    async consume(key) {
      const now = Date.now();
      const member = `${now}-${process.pid}-${sequence++}`;
      const [allowed, count, oldest] = await slidingWindow(
        keyFor(key),
        now,
        options.windowMs,
        options.limit,
        member,
      );
      return resultOf(options, now, allowed, count, oldest);
    },
    async reset(key) {
      await redis.del(keyFor(key));
    },
  };
}

function resultOf(
  options: { limit: number; windowMs: number },
  now: number,
  allowed: number,
  count: number,
  oldest: number,
): RateLimitResult {
  return {
    allowed: allowed === 1,
    limit: options.limit,
    remaining: Math.max(0, options.limit - count),
    resetMs: Math.max(0, oldest + options.windowMs - now),
  };
}

/** The `RateLimit-*` headers (IETF draft) and, when refused, `Retry-After` in seconds. */
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const resetSeconds = Math.max(1, Math.ceil(result.resetMs / 1000));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(result.limit),
    'RateLimit-Remaining': String(result.remaining),
    'RateLimit-Reset': String(resetSeconds),
  };
  if (!result.allowed) headers['Retry-After'] = String(resetSeconds);
  return headers;
}
