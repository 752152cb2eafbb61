import {
  deleteExpiredIdempotencyKeys as deleteExpiredInStore,
  type Executor,
  type IdempotencyStore,
} from '@expe/server-kit';

/** payments.idempotency_keys (migration 0000), read and written by the kit's implementation. */
export const paymentsIdempotencyStore: IdempotencyStore = { schema: 'payments' };

/** Deletes up to `limit` expired keys; returns how many went. */
export function deleteExpiredIdempotencyKeys(
  db: Executor,
  now: Date,
  limit: number,
): Promise<number> {
  return deleteExpiredInStore(db, paymentsIdempotencyStore, now, limit);
}
