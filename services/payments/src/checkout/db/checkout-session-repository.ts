import { eq } from 'drizzle-orm';
import { listScopedPage, scopedRows } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { checkoutSessions } from '../../db/checkout-schema.js';

export type CheckoutSessionRow = typeof checkoutSessions.$inferSelect;
export type NewCheckoutSessionRow = typeof checkoutSessions.$inferInsert;
export type CheckoutSessionStatus = CheckoutSessionRow['status'];

export const { insert: insertCheckoutSession, find: findScopedCheckoutSession } =
  scopedRows(checkoutSessions);

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
  const { paymentId, customerId, status } = filters;
  const payment = paymentId ? eq(checkoutSessions.paymentId, paymentId) : undefined;
  const customer = customerId ? eq(checkoutSessions.customerId, customerId) : undefined;
  const state = status ? eq(checkoutSessions.status, status) : undefined;
  return listScopedPage(db, checkoutSessions, scope, page, payment, customer, state);
}
