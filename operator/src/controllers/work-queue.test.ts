import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WorkQueue', () => {
  it('when a key is added several times before it runs, then it is reconciled once', async () => {
    const seen: string[] = [];
    const queue = new WorkQueue(
      (key) => {
        seen.push(key);
        return Promise.resolve();
      },
      { concurrency: 1 },
    );

    // With one worker busy on x, the others wait in the queue.
    queue.add('x');
    queue.add('a');
    queue.add('a');
    queue.add('b');
    queue.add('a');
    await queue.idle();

    expect(seen).toEqual(['x', 'a', 'b']);
  });

  it('when a key is added while it runs, then it runs again afterwards and never twice at once', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const queue = new WorkQueue(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      await sleep(20);
      running--;
    });

    queue.add('a');
    await sleep(5);
    queue.add('a');
    queue.add('a');
    await sleep(100);
    await queue.idle();

    expect({ runs, maxRunning }).toEqual({ runs: 2, maxRunning: 1 });
  });

  it('when a reconcile fails, then it is retried with doubling delays until it succeeds', async () => {
    const times: number[] = [];
    const errors: number[] = [];
    const queue = new WorkQueue(
      () => {
        times.push(Date.now());
        return times.length < 4 ? Promise.reject(new Error('not yet')) : Promise.resolve();
      },
      { baseDelayMs: 20, onError: (_key, _error, attempt) => errors.push(attempt) },
    );

    queue.add('a');
    await sleep(400);

    expect(times).toHaveLength(4);
    expect(errors).toEqual([1, 2, 3]);
    const gaps = times.slice(1).map((time, i) => time - (times[i] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(15);
    expect(gaps[1]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(75);
    expect(queue.failuresOf('a')).toBe(0);
  });

  it('when the backoff grows past the maximum, then it is capped', () => {
    const queue = new WorkQueue(async () => {}, { baseDelayMs: 100, maxDelayMs: 1000 });

    expect([1, 2, 3, 4, 5, 10].map((n) => queue.backoffFor(n))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('when a reconcile asks to be requeued, then it runs again after that delay', async () => {
    let runs = 0;
    const queue = new WorkQueue(() => {
      runs++;
      return Promise.resolve(runs === 1 ? { requeueAfterMs: 30 } : undefined);
    });

    queue.add('a');
    await sleep(10);
    const early = runs;
    await sleep(60);

    expect([early, runs]).toEqual([1, 2]);
  });

  it('when the queue is stopped, then waiting and delayed keys never run', async () => {
    let runs = 0;
    const queue = new WorkQueue(() => {
      runs++;
      return Promise.resolve();
    });

    queue.addAfter('a', 20);
    await queue.stop();
    queue.add('b');
    await sleep(40);

    expect(runs).toBe(0);
  });
});
