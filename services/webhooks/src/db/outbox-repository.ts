import { asc, inArray, isNull } from 'drizzle-orm';
import type { Executor, Scope } from '@expe/server-kit';
import { outbox } from './schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;

/** Records an event of the scope: it goes to that project's endpoints, event log and channel. */
export async function insertOutboxEvent(
  db: Executor,
  scope: Scope,
  values: Omit<NewOutboxRow, 'merchantId' | 'projectId' | 'mode'>,
): Promise<OutboxRow> {
  const [row] = await db
    .insert(outbox)
    .values({
      ...values,
      merchantId: scope.merchantId,
      projectId: scope.projectId,
      mode: scope.mode,
    })
    .returning();
  if (!row) throw new Error('insert into outbox returned no row');
  return row;
}

/** The oldest events not yet relayed, locked; rows another relay holds are skipped. */
// unscoped: the relay moves every project's committed events
export function claimUnrelayedEvents(db: Executor, limit: number): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(isNull(outbox.relayedAt))
    .orderBy(asc(outbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

// unscoped: the relay marks the rows it just claimed, of every project
export async function markRelayed(db: Executor, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ relayedAt: now })
    .where(inArray(outbox.id, [...ids]));
}
