import { describe, expect, it } from 'vitest';
import { createRestartBackoff } from './restart-backoff.js';

describe('restart backoff', () => {
  it('when a watch keeps failing, then each wait doubles up to the maximum and stays there', () => {
    const backoff = createRestartBackoff({ initialMs: 2_000, maxMs: 60_000 });

    const waits = Array.from({ length: 8 }, () => backoff.next());

    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(backoff.failures).toBe(8);
  });

  it('when the watch delivers again, then the next failure waits the initial time', () => {
    const backoff = createRestartBackoff({ initialMs: 2_000, maxMs: 60_000 });
    backoff.next();
    backoff.next();
    backoff.next();

    backoff.reset();

    expect(backoff.next()).toBe(2_000);
  });

  it('when failures go on for days, then the wait stays a finite maximum', () => {
    const backoff = createRestartBackoff({ initialMs: 2_000, maxMs: 60_000 });
    for (let i = 0; i < 10_000; i += 1) backoff.next();

    expect(backoff.next()).toBe(60_000);
  });
});
