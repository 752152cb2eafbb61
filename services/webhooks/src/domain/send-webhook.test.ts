import { describe, expect, it } from 'vitest';
import { retryDelay } from './attempt-delivery.js';
import { truncateUtf8 } from './send-webhook.js';

describe('truncateUtf8', () => {
  it('when text is longer than the limit, then it is cut on a character boundary', () => {
    const text = `${'a'.repeat(1023)}€b`;

    const cut = truncateUtf8(text, 1024);

    expect(cut).toBe('a'.repeat(1023));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1024);
  });

  it('when text fits, then it is unchanged', () => {
    expect(truncateUtf8('héllo', 1024)).toBe('héllo');
  });
});

describe('retryDelay', () => {
  const schedule = [5_000, 30_000, 120_000];

  it('when jitter is at its extremes, then the delay stays within ±10% of the schedule', () => {
    expect(retryDelay(schedule, 1, () => 0)).toBe(4_500);
    expect(retryDelay(schedule, 2, () => 0.5)).toBe(30_000);
    expect(retryDelay(schedule, 3, () => 0.999_999)).toBe(132_000);
  });

  it('when the schedule is used up, then there is no further retry', () => {
    expect(retryDelay(schedule, 4)).toBeUndefined();
  });
});
