import { and, arrayOverlaps, desc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { inScope, insertScoped, listScopedPage, updateScopedRow } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope, Unscoped } from '@expe/server-kit';
import { endpoints, endpointSecrets } from './schema.js';

export type EndpointRow = typeof endpoints.$inferSelect;
export type NewEndpointRow = typeof endpoints.$inferInsert;
export type EndpointSecretRow = typeof endpointSecrets.$inferSelect;
export type NewEndpointSecretRow = typeof endpointSecrets.$inferInsert;

/** The scope an endpoint belongs to, for what is written about it (its outbox events). */
export function scopeOfEndpoint(endpoint: EndpointRow): Scope {
  return { merchantId: endpoint.merchantId, projectId: endpoint.projectId, mode: endpoint.mode };
}

/** Records the endpoint in the scope's project and mode; the merchant is kept as the owner. */
export async function insertEndpoint(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewEndpointRow>,
): Promise<EndpointRow> {
  return insertScoped(db, endpoints, scope, values);
}

/** The project and mode are the boundary: another project's endpoint is not there. */
const isInScope = (scope: Scope, id: string) =>
  and(eq(endpoints.id, id), inScope(endpoints, scope), isNull(endpoints.deletedAt));

/** A live (not deleted) endpoint of the scope; another project's or mode's reads as missing. */
export async function findEndpoint(
  db: Executor,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow | undefined> {
  const query = db.select().from(endpoints).where(isInScope(scope, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** By id alone, deleted or not: for the worker, which acts on rows the API already scoped. */
// unscoped: the worker's lookup of a delivery's endpoint; the delivery was made in its scope
export async function findEndpointById(
  db: Executor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow | undefined> {
  const query = db.select().from(endpoints).where(eq(endpoints.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function listEndpointsOfScope(
  db: Executor,
  scope: Scope,
  page: PageRequest,
): Promise<Page<EndpointRow>> {
  return listScopedPage(db, endpoints, scope, page, isNull(endpoints.deletedAt));
}

/**
 * The enabled endpoints of the scope (the event's project and mode) that subscribe to one of
 * `eventTypes` (an event's names: Expe's and Stripe's) or to everything.
 */
export async function listSubscribedEndpoints(
  db: Executor,
  scope: Scope,
  eventTypes: string[],
): Promise<EndpointRow[]> {
  return db
    .select()
    .from(endpoints)
    .where(
      and(
        inScope(endpoints, scope),
        eq(endpoints.status, 'enabled'),
        isNull(endpoints.deletedAt),
        arrayOverlaps(endpoints.enabledEvents, ['*', ...eventTypes]),
      ),
    )
    .orderBy(endpoints.id);
}

/** Changes an endpoint of the scope (deleted or not, so a deletion can be written). */
export async function updateEndpoint(
  db: Executor,
  scope: Scope,
  id: string,
  values: Partial<Omit<Unscoped<NewEndpointRow>, 'id' | 'createdAt'>>,
): Promise<EndpointRow> {
  return updateScopedRow(db, endpoints, scope, id, values);
}

/** Starts the failing clock at the first failure after a success; returns the endpoint. */
// unscoped: the worker's bookkeeping on the endpoint of a delivery it attempted
export async function markEndpointFailing(
  db: Executor,
  id: string,
  now: Date,
): Promise<EndpointRow | undefined> {
  const [row] = await db
    .update(endpoints)
    .set({
      failingSince: sql`coalesce(${endpoints.failingSince}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(endpoints.id, id))
    .returning();
  return row;
}

// unscoped: the worker's bookkeeping on the endpoint of a delivery it attempted
export async function markEndpointHealthy(db: Executor, id: string): Promise<void> {
  await db
    .update(endpoints)
    .set({ failingSince: null })
    .where(and(eq(endpoints.id, id), isNotNull(endpoints.failingSince)));
}

/**
 * Disables an endpoint that has been failing since `failingSinceAtMost` or earlier. Only one of
 * several concurrent callers gets the row back, so the disabled event is emitted once.
 */
// unscoped: the worker's bookkeeping on the endpoint of a delivery it attempted
export async function disableFailingEndpoint(
  db: Executor,
  id: string,
  failingSinceAtMost: Date,
  now: Date,
): Promise<EndpointRow | undefined> {
  const [row] = await db
    .update(endpoints)
    .set({ status: 'disabled', disabledReason: 'failing', updatedAt: now })
    .where(
      and(
        eq(endpoints.id, id),
        eq(endpoints.status, 'enabled'),
        isNull(endpoints.deletedAt),
        lte(endpoints.failingSince, failingSinceAtMost),
      ),
    )
    .returning();
  return row;
}

export async function insertEndpointSecret(
  db: Executor,
  values: NewEndpointSecretRow,
): Promise<EndpointSecretRow> {
  const [row] = await db.insert(endpointSecrets).values(values).returning();
  if (!row) throw new Error('insert into endpoint_secrets returned no row');
  return row;
}

/** Gives the current secret an expiry, so a new one can become current. */
export async function expireCurrentSecret(
  db: Executor,
  endpointId: string,
  expiresAt: Date,
): Promise<void> {
  await db
    .update(endpointSecrets)
    .set({ expiresAt })
    .where(and(eq(endpointSecrets.endpointId, endpointId), isNull(endpointSecrets.expiresAt)));
}

/** The secrets that still sign at `now`, newest first. */
export async function listSigningSecrets(
  db: Executor,
  endpointId: string,
  now: Date,
): Promise<EndpointSecretRow[]> {
  return db
    .select()
    .from(endpointSecrets)
    .where(
      and(
        eq(endpointSecrets.endpointId, endpointId),
        or(isNull(endpointSecrets.expiresAt), gt(endpointSecrets.expiresAt, now)),
      ),
    )
    .orderBy(desc(endpointSecrets.id));
}
