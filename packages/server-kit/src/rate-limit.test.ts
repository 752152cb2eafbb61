import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createSlidingWindowLimiter, rateLimitHeaders } from './rate-limit.js';

const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
  keyPrefix: `expe-test:ratelimit:${process.pid}:${Date.now()}:`,
});
afterAll(() => redis.disconnect());

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
