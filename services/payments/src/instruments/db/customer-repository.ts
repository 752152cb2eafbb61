import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { findScopedRow, insertScoped, listScopedPage, selectPage } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope, Unscoped } from '@expe/server-kit';
import { customers, paymentMethods } from '../../db/instrument-schema.js';

export type CustomerRow = typeof customers.$inferSelect;
export type NewCustomerRow = typeof customers.$inferInsert;
export type CustomerChanges = Partial<
  Pick<
    NewCustomerRow,
    'email' | 'name' | 'description' | 'phone' | 'shipping' | 'metadata' | 'updatedAt'
  >
>;
export type PaymentMethodRow = typeof paymentMethods.$inferSelect;
export type NewPaymentMethodRow = typeof paymentMethods.$inferInsert;

const isLive = isNull(customers.deletedAt);

export async function insertCustomer(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewCustomerRow>,
): Promise<CustomerRow> {
  return insertScoped(db, customers, scope, values);
}

/** A live customer of this merchant and mode; deleted ones read as missing. */
export async function findScopedCustomer(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow | undefined> {
  return findScopedRow(db, customers, scope, id, { where: isLive });
}

/** A customer of this project and mode, deleted or not: a deleted one still reads as deleted. */
export async function findScopedCustomerEvenDeleted(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow | undefined> {
  return findScopedRow(db, customers, scope, id);
}

/** The same, locked: updates, deletes and card attachments of one customer queue on it. */
export async function lockScopedCustomer(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow | undefined> {
  return findScopedRow(db, customers, scope, id, { lock: true, where: isLive });
}

// unscoped: by id, of a customer locked in its scope (lockScopedCustomer).
export async function updateCustomerRow(
  db: Executor,
  id: string,
  changes: CustomerChanges & { deletedAt?: Date },
): Promise<CustomerRow> {
  const [row] = await db.update(customers).set(changes).where(eq(customers.id, id)).returning();
  if (!row) throw new Error(`customer ${id} vanished while locked`);
  return row;
}

export async function listCustomers(
  db: Executor,
  scope: Scope & { email?: string | undefined },
  page: PageRequest,
): Promise<Page<CustomerRow>> {
  const email = scope.email !== undefined ? eq(customers.email, scope.email) : undefined;
  return listScopedPage(db, customers, scope, page, isLive, email);
}

export async function insertPaymentMethod(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewPaymentMethodRow>,
): Promise<PaymentMethodRow> {
  return insertScoped(db, paymentMethods, scope, values);
}

export async function findScopedPaymentMethod(
  db: Executor,
  scope: Scope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PaymentMethodRow | undefined> {
  return findScopedRow(db, paymentMethods, scope, id, options);
}

// unscoped: by the id of a customer already read in its scope.
export async function listPaymentMethodsOfCustomer(
  db: Executor,
  customerId: string,
  page: PageRequest,
): Promise<Page<PaymentMethodRow>> {
  return selectPage(db, paymentMethods, page, eq(paymentMethods.customerId, customerId));
}

/**
 * Detaches the card if it is still attached (to `customerId` when given): the condition is
 * re-checked after any concurrent detach commits, so each card is detached, and announced, once.
 */
// unscoped: by the id of a card or customer already read in its scope.
export async function detachPaymentMethods(
  db: Executor,
  target: { id: string } | { customerId: string },
  now: Date,
): Promise<PaymentMethodRow[]> {
  return db
    .update(paymentMethods)
    .set({ customerId: null, detachedAt: now })
    .where(
      'id' in target
        ? and(eq(paymentMethods.id, target.id), isNotNull(paymentMethods.customerId))
        : eq(paymentMethods.customerId, target.customerId),
    )
    .returning();
}
