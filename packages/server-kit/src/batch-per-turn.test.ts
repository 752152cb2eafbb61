import { describe, expect, it } from 'vitest';
import { batchPerTurn } from './batch-per-turn.js';

describe('batchPerTurn', () => {
  it('when calls are made in one turn, then one batched call answers each with its own result, in order', async () => {
    const batches: number[][] = [];
    const double = batchPerTurn((items: number[]) => {
      batches.push(items);
      return Promise.resolve(items.map((item) => item * 2));
    });
    const first = await Promise.all([double(1), double(2), double(3)]);
    const second = await Promise.all([double(4)]);
    expect(first).toEqual([2, 4, 6]);
    expect(second).toEqual([8]);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('when more calls than maxBatch are made, then they go in several batches and all are answered', async () => {
    const batches: number[][] = [];
    const echo = batchPerTurn(
      (items: number[]) => {
        batches.push(items);
        return Promise.resolve(items);
      },
      { maxBatch: 2 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map(echo))).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('when the batched call fails, then every call of that batch fails with its error, and the next batch is tried anew', async () => {
    let isDown = true;
    const lookUp = batchPerTurn((items: string[]) =>
      isDown
        ? Promise.reject(new Error('store is down'))
        : Promise.resolve(items.map((item) => item.toUpperCase())),
    );
    const failed = await Promise.allSettled([lookUp('a'), lookUp('b')]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toEqual(new Error('store is down'));
    isDown = false;
    expect(await lookUp('c')).toBe('C');
  });
});
