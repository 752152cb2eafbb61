import { and, eq, type SQL } from 'drizzle-orm';
import { pageQuery, toPage, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import type { Scope } from '@expe/server-kit';
import { checkoutSessions } from '../../db/checkout-schema.js';
import { scopeColumns, type Unscoped } from '../../db/scope-columns.js';

export type CheckoutSessionRow = typeof checkoutSessions.$inferSelect;
export type NewCheckoutSessionRow = typeof checkoutSessions.$inferInsert;
export type CheckoutSessionStatus = CheckoutSessionRow['status'];

export async function insertCheckoutSession(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewCheckoutSessionRow>,
): Promise<CheckoutSessionRow> {
  const [row] = await db
    .insert(checkoutSessions)
    .values({ ...values, ...scopeColumns(scope) })
    .returning();
  if (!row) throw new Error('checkout session insert returned nothing');
  return row;
}

export async function findScopedCheckoutSession(
  db: Executor,
  scope: Scope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<CheckoutSessionRow | undefined> {
  const query = db
    .select()
    .from(checkoutSessions)
    .where(
      and(
        eq(checkoutSessions.id, id),
        eq(checkoutSessions.projectId, scope.projectId),
        eq(checkoutSessions.mode, scope.mode),
      ),
    );
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** The hosted checkout page's read: the caller proves it holds the session's payment secret. */
// unscoped: by id, for a caller that then proves the client secret of the session's payment.
export async function findCheckoutSession(
  db: Executor,
  id: string,
): Promise<CheckoutSessionRow | undefined> {
  const [row] = await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, id));
  return row;
}

/**
 * The session that opened a payment, locked: the payment's own transitions (paid, canceled,
 * expired) carry it along. The caller holds the payment's lock.
 */
// unscoped: by the payment id of a payment already read and locked within its scope.
export async function lockCheckoutSessionOfPayment(
  db: Executor,
  paymentId: string,
): Promise<CheckoutSessionRow | undefined> {
  const [row] = await db
    .select()
    .from(checkoutSessions)
    .where(eq(checkoutSessions.paymentId, paymentId))
    .for('update');
  return row;
}

// unscoped: by id, of a session locked after a scoped read or through its locked payment.
export async function updateCheckoutSession(
  db: Executor,
  id: string,
  changes: Partial<
    Pick<NewCheckoutSessionRow, 'status' | 'completedAt' | 'expiredAt' | 'updatedAt'>
  >,
): Promise<CheckoutSessionRow> {
  const [row] = await db
    .update(checkoutSessions)
    .set(changes)
    .where(eq(checkoutSessions.id, id))
    .returning();
  if (!row) throw new Error(`checkout session ${id} vanished while locked`);
  return row;
}

export interface CheckoutSessionFilters {
  paymentId?: string | undefined;
  customerId?: string | undefined;
  status?: CheckoutSessionStatus | undefined;
}

export async function listCheckoutSessions(
  db: Executor,
  scope: Scope,
  page: PageRequest,
  filters: CheckoutSessionFilters,
): Promise<Page<CheckoutSessionRow>> {
  const { cursor, orderBy, fetch } = pageQuery(checkoutSessions.id, page);
  const conditions: (SQL | undefined)[] = [
    eq(checkoutSessions.projectId, scope.projectId),
    eq(checkoutSessions.mode, scope.mode),
    cursor,
    filters.paymentId ? eq(checkoutSessions.paymentId, filters.paymentId) : undefined,
    filters.customerId ? eq(checkoutSessions.customerId, filters.customerId) : undefined,
    filters.status ? eq(checkoutSessions.status, filters.status) : undefined,
  ];
  const rows = await db
    .select()
    .from(checkoutSessions)
    .where(and(...conditions))
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}
