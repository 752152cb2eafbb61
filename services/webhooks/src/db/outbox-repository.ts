import type { Executor, Scope } from '@expe/server-kit';
import { outbox } from './schema.js';

export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;

/**
 * Records an event of the scope: it goes to that project's endpoints, event log and channel as
 * soon as the transaction commits (the relay is woken then).
 */
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
