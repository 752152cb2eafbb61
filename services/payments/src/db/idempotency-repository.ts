import { and, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { queryRows } from './raw.js';
import { idempotencyKeys } from './schema.js';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

/**
 * Takes the key's transaction-scoped advisory lock without waiting: `false` means another
 * request with the same key is running right now.
 */
export async function tryLockIdempotencyKey(
  db: Executor,
  scope: string,
  key: string,
): Promise<boolean> {
  const [row] = await queryRows<{ locked: boolean }>(
    db,
    sql`select pg_try_advisory_xact_lock(hashtext(${scope} || ${key})) as locked`,
  );
  return row?.locked === true;
}

/** A stored response that has not expired yet. */
export async function findIdempotencyKey(
  db: Executor,
  scope: string,
  key: string,
  now: Date,
): Promise<IdempotencyRow | undefined> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.scope, scope),
        eq(idempotencyKeys.key, key),
        gt(idempotencyKeys.expiresAt, now),
      ),
    );
  return row;
}

/**
 * Stores the response unless a live one is stored already (an expired one is replaced).
 * Returns whether this one was stored.
 */
export async function insertIdempotencyKeyIfAbsent(
  db: Executor,
  values: typeof idempotencyKeys.$inferInsert & { createdAt: Date },
): Promise<boolean> {
  const stored = await db
    .insert(idempotencyKeys)
    .values(values)
    .onConflictDoUpdate({
      target: [idempotencyKeys.scope, idempotencyKeys.key],
      set: {
        requestHash: values.requestHash,
        responseStatus: values.responseStatus,
        responseBody: values.responseBody,
        createdAt: values.createdAt,
        expiresAt: values.expiresAt,
      },
      setWhere: sql`${idempotencyKeys.expiresAt} <= ${values.createdAt.toISOString()}::timestamptz`,
    })
    .returning({ key: idempotencyKeys.key });
  return stored.length > 0;
}

/** Deletes up to `limit` expired keys; returns how many went. */
export async function deleteExpiredIdempotencyKeys(
  db: Executor,
  now: Date,
  limit: number,
): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(
      sql`(${idempotencyKeys.scope}, ${idempotencyKeys.key}) in (
        select scope, key from ${idempotencyKeys}
        where expires_at < ${now.toISOString()}::timestamptz
        limit ${limit})`,
    )
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
