import { and, eq } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import type { EndpointScope } from './endpoint-repository.js';
import { events } from './schema.js';

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

/** Stores an event once; a second fan-out of the same event keeps the first copy. */
export async function insertEventIfAbsent(db: Executor, values: NewEventRow): Promise<void> {
  await db.insert(events).values(values).onConflictDoNothing({ target: events.id });
}

export async function findEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, id));
  return row;
}

export async function findEventInScope(
  db: Executor,
  scope: EndpointScope,
  id: string,
): Promise<EventRow | undefined> {
  const [row] = await db
    .select()
    .from(events)
    .where(
      and(eq(events.id, id), eq(events.merchantId, scope.merchantId), eq(events.mode, scope.mode)),
    );
  return row;
}
