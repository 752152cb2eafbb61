import { and, asc, eq, getTableColumns, lt } from 'drizzle-orm';
import type { Executor, Scope } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { deliveries, deliveryAttempts, endpoints, events } from './schema.js';

export type DeliveryRow = typeof deliveries.$inferSelect;
export type NewDeliveryRow = typeof deliveries.$inferInsert;
export type DeliveryAttemptRow = typeof deliveryAttempts.$inferSelect;
export type NewDeliveryAttemptRow = typeof deliveryAttempts.$inferInsert;

export interface OverdueDelivery {
  delivery: DeliveryRow;
  traceparent: string | null;
}

export async function insertDelivery(db: Executor, values: NewDeliveryRow): Promise<DeliveryRow> {
  const [row] = await db.insert(deliveries).values(values).returning();
  if (!row) throw new Error('insert into deliveries returned no row');
  return row;
}

/** Inserts the deliveries whose job id is new; a repeated fan-out inserts nothing. */
export async function insertDeliveriesIfAbsent(
  db: Executor,
  values: NewDeliveryRow[],
): Promise<void> {
  if (values.length === 0) return;
  await db.insert(deliveries).values(values).onConflictDoNothing({ target: deliveries.jobId });
}

/** The fan-out deliveries of an event still waiting to succeed or fail. */
export async function listPendingDeliveriesOfEvent(
  db: Executor,
  eventId: string,
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.eventId, eventId),
        eq(deliveries.manual, false),
        eq(deliveries.status, 'pending'),
      ),
    )
    .orderBy(deliveries.id);
}

export async function findDelivery(
  db: Executor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DeliveryRow | undefined> {
  const query = db.select().from(deliveries).where(eq(deliveries.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function updateDelivery(
  db: Executor,
  id: string,
  values: Partial<Pick<NewDeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'completedAt'>>,
): Promise<DeliveryRow> {
  const [row] = await db.update(deliveries).set(values).where(eq(deliveries.id, id)).returning();
  if (!row) throw new Error(`delivery ${id} vanished during an update`);
  return row;
}

/** Pending deliveries whose next attempt was due before `dueBefore`, oldest first. */
// unscoped: the sweep requeues every project's overdue deliveries
export async function listOverdueDeliveries(
  db: Executor,
  dueBefore: Date,
  limit: number,
): Promise<OverdueDelivery[]> {
  return db
    .select({ delivery: deliveries, traceparent: events.traceparent })
    .from(deliveries)
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(and(eq(deliveries.status, 'pending'), lt(deliveries.nextAttemptAt, dueBefore)))
    .orderBy(asc(deliveries.nextAttemptAt))
    .limit(limit);
}

export async function insertDeliveryAttempt(
  db: Executor,
  values: NewDeliveryAttemptRow,
): Promise<DeliveryAttemptRow> {
  const [row] = await db.insert(deliveryAttempts).values(values).returning();
  if (!row) throw new Error('insert into delivery_attempts returned no row');
  return row;
}

/** The attempt log of an endpoint of the scope (through the endpoint: attempts have no project). */
export async function listAttemptsOfEndpoint(
  db: Executor,
  scope: Scope,
  endpointId: string,
  filter: { eventId?: string | undefined },
  page: PageRequest,
): Promise<Page<DeliveryAttemptRow>> {
  const { cursor, orderBy, fetch } = pageQuery(deliveryAttempts.id, page);
  const rows = await db
    .select(getTableColumns(deliveryAttempts))
    .from(deliveryAttempts)
    .innerJoin(endpoints, eq(endpoints.id, deliveryAttempts.endpointId))
    .where(
      and(
        eq(deliveryAttempts.endpointId, endpointId),
        eq(endpoints.projectId, scope.projectId),
        eq(endpoints.mode, scope.mode),
        filter.eventId ? eq(deliveryAttempts.eventId, filter.eventId) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

/** Stops what is still pending for an endpoint that was deleted or disabled. */
export async function cancelPendingDeliveriesOfEndpoint(
  db: Executor,
  endpointId: string,
  now: Date,
): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: 'canceled', nextAttemptAt: null, completedAt: now })
    .where(and(eq(deliveries.endpointId, endpointId), eq(deliveries.status, 'pending')));
}
