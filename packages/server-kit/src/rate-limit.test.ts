import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter, rateLimitHeaders } from './rate-limit.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `expe-test:ratelimit:${process.pid}:${Date.now()}:`;
const redis = new Redis(redisUrl, { keyPrefix });
afterAll(() => redis.disconnect());

/**
 * The commands Redis runs for `keyPrefix` while `act` runs, as MONITOR shows them: up to a
 * marker sent on the same connection after `act`, so every command of `act` has been seen.
 */
async function commandsDuring(act: () => Promise<unknown>): Promise<string[]> {
  const monitor = await new Redis(redisUrl).monitor();
  const marker = `marker-${Date.now()}`;
  const seen: string[] = [];
  const isMarkerSeen = new Promise<void>((resolve) => {
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (!args.some((arg) => arg.startsWith(keyPrefix))) return;
      if (args.some((arg) => arg.endsWith(marker))) resolve();
      else seen.push(args[0]!.toLowerCase());
    });
  });
  try {
    await act();
    await redis.get(marker);
    await isMarkerSeen;
    return seen;
  } finally {
    monitor.disconnect();
  }
}

describe('sliding-window limiter (real Redis)', () => {
  it('when more requests than the limit arrive at once, then exactly the limit is allowed', async () => {
    const limiter = createSlidingWindowLimiter(redis, {
      name: 'burst',
      limit: 10,
      windowMs: 5_000,
    });
    const results = await Promise.all(Array.from({ length: 25 }, () => limiter.consume('k')));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    const refused = results.find((r) => !r.allowed)!;
    expect(refused.remaining).toBe(0);
    expect(refused.resetMs).toBeGreaterThan(0);
    expect(refused.resetMs).toBeLessThanOrEqual(5_000);
    expect(rateLimitHeaders(refused)['Retry-After']).toMatch(/^[1-5]$/);
  });

  it('when windows of several limiters are consumed in one turn, then Redis runs one script for all, and each counts as if alone', async () => {
    const perIp = createSlidingWindowLimiter(redis, {
      name: 'batch-ip',
      limit: 2,
      windowMs: 5_000,
    });
    const perKey = createSlidingWindowLimiter(redis, {
      name: 'batch-key',
      limit: 3,
      windowMs: 5_000,
    });
    let results: Awaited<ReturnType<typeof perIp.consume>>[] = [];
    const commands = await commandsDuring(async () => {
      results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => (i % 2 === 0 ? perIp : perKey).consume('k')),
      );
      results.push(
        ...(await Promise.all([
          ...Array.from({ length: 3 }, () => perIp.consume('k')),
          ...Array.from({ length: 3 }, () => perKey.consume('k')),
        ])),
      );
    });
    // First turn: ip, key, ip, key, ip (3rd ip refused); second: 3 ips refused, key 3rd allowed.
    expect(results.map((r) => r.allowed)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
    ]);
    expect(results.map((r) => r.limit)).toEqual([2, 3, 2, 3, 2, 2, 2, 2, 3, 3, 3]);
    expect(commands.filter((name) => name === 'evalsha' || name === 'eval')).toHaveLength(2);
  });

  it('when the window slides past the oldest request, then a slot frees up', async () => {
    const limiter = createSlidingWindowLimiter(redis, { name: 'slide', limit: 2, windowMs: 300 });
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 350));
    expect((await limiter.consume('k')).allowed).toBe(true);
  });

  it('when Redis forgot the script (a restart, SCRIPT FLUSH), then the next call loads it again and counts on', async () => {
    const limiter = createSlidingWindowLimiter(redis, {
      name: 'flush',
      limit: 2,
      windowMs: 10_000,
    });
    expect((await limiter.consume('k')).allowed).toBe(true);
    await redis.script('FLUSH');
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
  });

  it('keeps keys apart and forgets a key on reset', async () => {
    const limiter = createSlidingWindowLimiter(redis, { name: 'keys', limit: 1, windowMs: 10_000 });
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('b')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(false);
    await limiter.reset('a');
    expect((await limiter.consume('a')).allowed).toBe(true);
  });

  it('sends no Retry-After while requests are allowed', async () => {
    const limiter = createSlidingWindowLimiter(redis, { name: 'ok', limit: 3, windowMs: 1_000 });
    const headers = rateLimitHeaders(await limiter.consume('k'));
    expect(headers).toMatchObject({ 'RateLimit-Limit': '3', 'RateLimit-Remaining': '2' });
    expect(headers['Retry-After']).toBeUndefined();
  });
});
