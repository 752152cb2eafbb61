import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database } from './db.js';

/** What `db.transaction` hands its callback; repositories take it (or the database) as `Executor`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Database | Transaction;

/** serialization_failure and deadlock_detected: the transaction lost a race and may simply rerun. */
const retryableCodes = new Set(['40001', '40P01']);

export function isRetryableConflict(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && retryableCodes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export interface RetryOptions {
  /** How many times the work may run in all (default 6). */
  attempts?: number;
  /** Base of the exponential backoff; each wait is a random fraction of base·2^attempt. */
  baseDelayMs?: number;
  /** The longest single wait, whatever the attempt (default 250 ms). */
  maxDelayMs?: number;
}

/**
 * Runs `work` in a database transaction and reruns it when PostgreSQL aborts it for a
 * serialization failure or a deadlock, so those never reach a client. The work must not have
 * effects outside the transaction: on a retry it starts over from scratch. Use cases open their
 * transactions with this, never with `db.transaction` directly.
 *
 * Given an open transaction (a use case run inside an Idempotency-Key's transaction), the work
 * runs in a savepoint of it and is not retried here: a serialization failure aborts the whole
 * transaction, so only its owner can rerun it.
 */
export async function withTransaction<T>(
  db: Executor,
  work: (tx: Transaction) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  if (db instanceof PgTransaction) return db.transaction(work);
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 5;
  const maxDelayMs = options.maxDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      // Full jitter: concurrent losers spread out instead of colliding again in lockstep.
      const delay = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
