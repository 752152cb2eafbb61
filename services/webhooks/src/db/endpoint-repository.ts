import { and, desc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { endpoints, endpointSecrets } from './schema.js';

export type EndpointRow = typeof endpoints.$inferSelect;
export type NewEndpointRow = typeof endpoints.$inferInsert;
export type EndpointSecretRow = typeof endpointSecrets.$inferSelect;
export type NewEndpointSecretRow = typeof endpointSecrets.$inferInsert;

/** Whose endpoints a caller may see: one merchant, one mode. */
export interface EndpointScope {
  merchantId: string;
  mode: 'test' | 'live';
}

export async function insertEndpoint(db: Executor, values: NewEndpointRow): Promise<EndpointRow> {
  const [row] = await db.insert(endpoints).values(values).returning();
  if (!row) throw new Error('insert into endpoints returned no row');
  return row;
}

const isInScope = (scope: EndpointScope, id: string) =>
  and(
    eq(endpoints.id, id),
    eq(endpoints.merchantId, scope.merchantId),
    eq(endpoints.mode, scope.mode),
    isNull(endpoints.deletedAt),
  );

/** A live (not deleted) endpoint of the scope; another merchant's or mode's reads as missing. */
export async function findEndpoint(
  db: Executor,
  scope: EndpointScope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow | undefined> {
  const query = db.select().from(endpoints).where(isInScope(scope, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** By id alone, deleted or not: for the worker, which acts on rows the API already scoped. */
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
  scope: EndpointScope,
  page: PageRequest,
): Promise<Page<EndpointRow>> {
  const { cursor, orderBy, fetch } = pageQuery(endpoints.id, page);
  const rows = await db
    .select()
    .from(endpoints)
    .where(
      and(
        eq(endpoints.merchantId, scope.merchantId),
        eq(endpoints.mode, scope.mode),
        isNull(endpoints.deletedAt),
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

/** The enabled endpoints of the scope that subscribe to `eventType` (or to everything). */
export async function listSubscribedEndpoints(
  db: Executor,
  scope: EndpointScope,
  eventType: string,
): Promise<EndpointRow[]> {
  return db
    .select()
    .from(endpoints)
    .where(
      and(
        eq(endpoints.merchantId, scope.merchantId),
        eq(endpoints.mode, scope.mode),
        eq(endpoints.status, 'enabled'),
        isNull(endpoints.deletedAt),
        sql`(${eventType} = any(${endpoints.enabledEvents}) or '*' = any(${endpoints.enabledEvents}))`,
      ),
    )
    .orderBy(endpoints.id);
}

export async function updateEndpoint(
  db: Executor,
  id: string,
  values: Partial<Omit<NewEndpointRow, 'id' | 'merchantId' | 'mode' | 'createdAt'>>,
): Promise<EndpointRow> {
  const [row] = await db.update(endpoints).set(values).where(eq(endpoints.id, id)).returning();
  if (!row) throw new Error(`endpoint ${id} vanished during an update`);
  return row;
}

/** Starts the failing clock at the first failure after a success; returns the endpoint. */
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
