import { and, asc, eq, like, not, or } from 'drizzle-orm';
import { createdRangeConditions, findScopedRow, listScopedPage } from '@expe/server-kit';
import type { CreatedRange, Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { events } from '../../db/schema.js';

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

/** An event names its project (NULL only for wallet-only events): the type makes callers say. */
export type NewScopedEventRow = NewEventRow & { projectId: string | null };

/**
 * Records an event in the outbox; the table's trigger (migration 0015) wakes the relay once the
 * transaction commits.
 */
// unscoped: the outbox of every change; the row carries the project of its object.
export async function insertEvent(db: Executor, values: NewScopedEventRow): Promise<EventRow> {
  const [row] = await db.insert(events).values(values).returning();
  if (!row) throw new Error('event insert returned nothing');
  return row;
}

/**
 * Stores an event another service recorded (it comes with its id); a second copy of the same
 * event changes nothing. Answers whether this call stored it.
 */
// unscoped: events of other services, each with the project of its job.
export async function insertEventIfAbsent(
  db: Executor,
  values: NewScopedEventRow,
): Promise<boolean> {
  const rows = await db
    .insert(events)
    .values(values)
    .onConflictDoNothing({ target: events.id })
    .returning({ id: events.id });
  return rows.length > 0;
}

export interface EventFilter {
  /** Exact types, or prefixes ending in `.*` (`payment.*`): an event of any of them. */
  types?: readonly string[] | undefined;
  created?: CreatedRange | undefined;
}

export async function listMerchantEvents(
  db: Executor,
  scope: Scope,
  filter: EventFilter,
  page: PageRequest,
): Promise<Page<EventRow>> {
  // One type, or every type under a prefix ending in `.*` (its `%` and `_` taken literally).
  const typeIs = (type: string) =>
    type.endsWith('.*')
      ? like(events.type, `${type.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`)
      : eq(events.type, type);
  const typeCondition = filter.types && or(...filter.types.map(typeIs));
  const created = createdRangeConditions(events.createdAt, filter.created);
  return listScopedPage(db, events, scope, page, typeCondition, ...created);
}

export async function findMerchantEvent(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<EventRow | undefined> {
  return findScopedRow(db, events, scope, id);
}

/**
 * Oldest first: the order things happened to the payment. Its charges' events (issue 20) are
 * left out: each repeats a payment event the timeline already shows.
 */
// unscoped: by the id of a payment already read in its scope (or by its client_secret).
export async function listPaymentEvents(
  db: Executor,
  paymentId: string,
  limit: number,
): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(and(eq(events.paymentId, paymentId), not(like(events.type, 'charge.%'))))
    .orderBy(asc(events.id))
    .limit(limit);
}
