import { asc, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { outbox } from './schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;

export async function insertOutboxEvent(db: Executor, values: NewOutboxRow): Promise<OutboxRow> {
  const [row] = await db.insert(outbox).values(values).returning();
  if (!row) throw new Error('insert into outbox returned no row');
  return row;
}

/** The oldest events not yet relayed, locked; rows another relay holds are skipped. */
export function claimUnrelayedEvents(db: Executor, limit: number): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(isNull(outbox.relayedAt))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function markRelayed(db: Executor, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ relayedAt: now })
    .where(inArray(outbox.id, [...ids]));
}
