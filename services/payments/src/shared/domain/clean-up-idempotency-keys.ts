import type { Executor } from '@expe/server-kit';
import { deleteExpiredIdempotencyKeys } from '../db/idempotency-repository.js';

const batchSize = 1_000;

/** Deletes expired Idempotency-Keys in small batches, so no statement holds locks for long. */
export async function cleanUpIdempotencyKeys(db: Executor, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteExpiredIdempotencyKeys(db, now, batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
