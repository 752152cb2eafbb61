import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile } from './support/test-platform.js';

const t = platformPerFile({
  RATE_LIMIT_WINDOW_MS: '1500',
  RATE_LIMIT_PER_KEY: '5',
  RATE_LIMIT_PER_IP: '1000',
});

describe('rate limits', () => {
  it('when a key bursts over its limit, then 429 with Retry-After, and requests pass again after the window', async () => {
    const { key } = await onboardMerchant(t, 'burst');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => t.api('GET', '/v1/account', { token: key.secret })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);

    const limited = responses.find((r) => r.status === 429)!;
    expect(limited.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('ratelimit-limit')).toBe('5');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');

    const passed = responses.find((r) => r.status === 200)!;
    expect(Number(passed.headers.get('ratelimit-remaining'))).toBeLessThan(5);

    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    expect((await t.api('GET', '/v1/account', { token: key.secret })).status).toBe(200);
  });

  it('limits each key on its own: one noisy key does not block another', async () => {
    const noisy = await onboardMerchant(t, 'noisy');
    const quiet = await onboardMerchant(t, 'quiet');
    await Promise.all(
      Array.from({ length: 7 }, () => t.api('GET', '/v1/account', { token: noisy.key.secret })),
    );
    expect((await t.api('GET', '/v1/account', { token: quiet.key.secret })).status).toBe(200);
  });
});
