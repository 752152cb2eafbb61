import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { isRetryableConflict, withTransaction, type Executor } from './transaction.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const handle = openDatabase({ url, maxConnections: 8 });
const table = sql.identifier(`kit_tx_${randomBytes(4).toString('hex')}`);

beforeAll(async () => {
  await handle.db.execute(sql`create table ${table} (slot int primary key, taken boolean)`);
});
afterAll(async () => {
  await handle.db.execute(sql`drop table if exists ${table}`);
  await handle.close();
});

/** The count a `select count(*)::int as n` answers (both drivers answer `{ rows }`). */
async function countOf(db: Executor, query: SQL): Promise<number> {
  const result: unknown = await db.execute(query);
  return (result as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

/** Resolves once `count` callers have arrived, so their transactions overlap for certain. */
function barrier(count: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    if (++arrived === count) release();
    return all;
  };
}

/** Write skew: each transaction takes a slot only if none is taken; only one may win. */
async function takeSlotIfNoneTaken(
  slot: number,
  onAttempt: () => void,
  readDone: () => Promise<void>,
): Promise<boolean> {
  let attempt = 0;
  return withTransaction(handle.db, async (tx) => {
    onAttempt();
    await tx.execute(sql`set transaction isolation level serializable`);
    const taken = await countOf(tx, sql`select count(*)::int as n from ${table} where taken`);
    // Every first attempt reads before any writes: all but one must lose and rerun.
    if (attempt++ === 0) await readDone();
    if (taken > 0) return false;
    await tx.execute(sql`insert into ${table} (slot, taken) values (${slot}, true)`);
    return true;
  });
}

describe('withTransaction (real PostgreSQL)', () => {
  it('when concurrent serializable transactions conflict, then the losers rerun and exactly one wins, with no 40001 reaching the caller', async () => {
    let attempts = 0;
    const readDone = barrier(6);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, slot) => takeSlotIfNoneTaken(slot, () => attempts++, readDone)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    // At least one transaction lost a race and was rerun (else the test proved nothing).
    expect(attempts).toBeGreaterThan(6);
    expect(await countOf(handle.db, sql`select count(*)::int as n from ${table}`)).toBe(1);
  });

  it('when the work keeps failing with a serialization error, then it gives up after the bounded attempts', async () => {
    let runs = 0;
    const failure = Object.assign(new Error('could not serialize'), { code: '40001' });
    await expect(
      withTransaction(
        handle.db,
        () => {
          runs++;
          return Promise.reject(failure);
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toBe(failure);
    expect(runs).toBe(3);
  });

  it('when the work fails for another reason, then it runs once and the error propagates', async () => {
    let runs = 0;
    await expect(
      withTransaction(handle.db, () => {
        runs++;
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(runs).toBe(1);
  });

  it('recognises a deadlock wrapped as the cause of a driver error', () => {
    expect(isRetryableConflict(new Error('query failed', { cause: { code: '40P01' } }))).toBe(true);
    expect(isRetryableConflict(new Error('x', { cause: { code: '23505' } }))).toBe(false);
  });
});
