import type { Database } from '@expe/server-kit';

/**
 * What `db.transaction` hands its callback. (The kit's `Transaction` type names a different
 * schema parameter, so it does not accept this value.)
 */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

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
  attempts?: number;
  /** Base of the exponential backoff; each wait is a random fraction of base·2^attempt. */
  baseDelayMs?: number;
}

/**
 * Runs `work` in a database transaction and reruns it when PostgreSQL aborts it for a
 * serialization failure or a deadlock, so those never reach a client. The work must not have
 * effects outside the transaction: on a retry it starts over from scratch.
 */
export async function inTransaction<T>(
  db: Database,
  work: (tx: Transaction) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      // Full jitter: concurrent losers spread out instead of colliding again in lockstep.
      const delay = Math.random() * baseDelayMs * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
