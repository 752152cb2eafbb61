import { eq } from 'drizzle-orm';
import { findScopedRow, type Executor, type Scope } from '@expe/server-kit';
import { events } from './schema.js';

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

/**
 * Stores an event of the scope (the project and mode it happened in) once; a second fan-out of
 * the same event keeps the first copy.
 */
export async function insertEventIfAbsent(
  db: Executor,
  scope: Scope,
  values: Omit<NewEventRow, 'merchantId' | 'projectId' | 'mode'>,
): Promise<void> {
  await db
    .insert(events)
    .values({
      ...values,
      merchantId: scope.merchantId,
      projectId: scope.projectId,
      mode: scope.mode,
    })
    .onConflictDoNothing({ target: events.id });
}

// unscoped: the worker's lookup of a delivery's event; the delivery was made in its scope
export async function findEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row;
}

/** An event of the scope's project and mode; another project's reads as missing. */
export async function findEventInScope(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<EventRow | undefined> {
  return findScopedRow(db, events, scope, id);
}
