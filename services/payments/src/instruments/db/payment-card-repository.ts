import { and, eq, isNull } from 'drizzle-orm';
import { listScopedPage } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import type { PaymentMethodRow } from './customer-repository.js';
import { paymentMethods } from '../../db/instrument-schema.js';

export type PaymentMethodChanges = Partial<
  Pick<
    PaymentMethodRow,
    'billingDetails' | 'metadata' | 'cardExpMonth' | 'cardExpYear' | 'updatedAt'
  >
>;

// unscoped: by id, of a PaymentMethod locked after a scoped read (findScopedPaymentMethod).
export async function updatePaymentMethodRow(
  db: Executor,
  id: string,
  changes: PaymentMethodChanges,
): Promise<PaymentMethodRow> {
  const [row] = await db
    .update(paymentMethods)
    .set(changes)
    .where(eq(paymentMethods.id, id))
    .returning();
  if (!row) throw new Error(`payment method ${id} vanished while locked`);
  return row;
}

/**
 * Attaches the PaymentMethod to the customer if it was never attached nor detached: the
 * condition is re-checked after a concurrent attach or detach commits, so it is attached once.
 */
// unscoped: by the ids of a PaymentMethod and a customer already read in their scope.
export async function attachPaymentMethodRow(
  db: Executor,
  id: string,
  customerId: string,
  now: Date,
): Promise<PaymentMethodRow | undefined> {
  const [row] = await db
    .update(paymentMethods)
    .set({ customerId, updatedAt: now })
    .where(
      and(
        eq(paymentMethods.id, id),
        isNull(paymentMethods.customerId),
        isNull(paymentMethods.detachedAt),
      ),
    )
    .returning();
  return row;
}

/** The project's PaymentMethods, or one customer's, newest first. */
export async function listScopedPaymentMethods(
  db: Executor,
  scope: Scope & { customerId?: string | undefined },
  page: PageRequest,
): Promise<Page<PaymentMethodRow>> {
  const { customerId } = scope;
  const customer = customerId !== undefined ? eq(paymentMethods.customerId, customerId) : undefined;
  return listScopedPage(db, paymentMethods, scope, page, customer);
}
