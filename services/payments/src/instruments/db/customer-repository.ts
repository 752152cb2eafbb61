import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { scopeColumns, type Unscoped } from '../../db/scope-columns.js';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { customers, paymentMethods } from '../../db/instrument-schema.js';
import type { Scope } from '@expe/server-kit';

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

const customerInScope = (scope: Scope, id: string) =>
  and(
    eq(customers.id, id),
    eq(customers.projectId, scope.projectId),
    eq(customers.mode, scope.mode),
    isNull(customers.deletedAt),
  );

export async function insertCustomer(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewCustomerRow>,
): Promise<CustomerRow> {
  const [row] = await db
    .insert(customers)
    .values({ ...values, ...scopeColumns(scope) })
    .returning();
  if (!row) throw new Error('customer insert returned nothing');
  return row;
}

/** A live customer of this merchant and mode; deleted ones read as missing. */
export async function findScopedCustomer(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(customerInScope(scope, id));
  return row;
}

/** A customer of this project and mode, deleted or not: a deleted one still reads as deleted. */
export async function findScopedCustomerEvenDeleted(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow | undefined> {
  const [row] = await db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.id, id),
        eq(customers.projectId, scope.projectId),
        eq(customers.mode, scope.mode),
      ),
    );
  return row;
}

/** The same, locked: updates, deletes and card attachments of one customer queue on it. */
export async function lockScopedCustomer(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow | undefined> {
  const [row] = await db.select().from(customers).where(customerInScope(scope, id)).for('update');
  return row;
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
  const { cursor, orderBy, fetch } = pageQuery(customers.id, page);
  const rows = await db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.projectId, scope.projectId),
        eq(customers.mode, scope.mode),
        isNull(customers.deletedAt),
        scope.email !== undefined ? eq(customers.email, scope.email) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

export async function insertPaymentMethod(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewPaymentMethodRow>,
): Promise<PaymentMethodRow> {
  const [row] = await db
    .insert(paymentMethods)
    .values({ ...values, ...scopeColumns(scope) })
    .returning();
  if (!row) throw new Error('payment method insert returned nothing');
  return row;
}

export async function findScopedPaymentMethod(
  db: Executor,
  scope: Scope,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PaymentMethodRow | undefined> {
  const query = db
    .select()
    .from(paymentMethods)
    .where(
      and(
        eq(paymentMethods.id, id),
        eq(paymentMethods.projectId, scope.projectId),
        eq(paymentMethods.mode, scope.mode),
      ),
    );
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

// unscoped: by the id of a customer already read in its scope.
export async function listPaymentMethodsOfCustomer(
  db: Executor,
  customerId: string,
  page: PageRequest,
): Promise<Page<PaymentMethodRow>> {
  const { cursor, orderBy, fetch } = pageQuery(paymentMethods.id, page);
  const rows = await db
    .select()
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, customerId), cursor))
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
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
