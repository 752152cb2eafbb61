import { and, desc, eq, notInArray } from 'drizzle-orm';
import { listScopedPage, scopedRows } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { paymentLinks } from '../../db/instrument-schema.js';
import { payments } from '../../db/schema.js';

export type PaymentLinkRow = typeof paymentLinks.$inferSelect;
export type NewPaymentLinkRow = typeof paymentLinks.$inferInsert;

export const { insert: insertPaymentLink, find: findScopedPaymentLink } = scopedRows(paymentLinks);

/** Locks the link: checkouts and payments of one link queue on it. */
// unscoped: by id: the public checkout of a link (anyone with its URL).
export async function lockPaymentLink(
  db: Executor,
  id: string,
): Promise<PaymentLinkRow | undefined> {
  const [row] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, id)).for('update');
  return row;
}

// unscoped: by id, of a link locked after a scoped read or by its public checkout.
export async function updatePaymentLink(
  db: Executor,
  id: string,
  changes: Partial<Pick<NewPaymentLinkRow, 'active' | 'metadata' | 'paymentsCount' | 'updatedAt'>>,
): Promise<PaymentLinkRow> {
  const [row] = await db
    .update(paymentLinks)
    .set(changes)
    .where(eq(paymentLinks.id, id))
    .returning();
  if (!row) throw new Error(`payment link ${id} vanished while locked`);
  return row;
}

export async function listPaymentLinks(
  db: Executor,
  scope: Scope,
  page: PageRequest,
): Promise<Page<PaymentLinkRow>> {
  return listScopedPage(db, paymentLinks, scope, page);
}

/**
 * The newest payment of the link that is paid or may still be paid: open and not past its expiry
 * (by `now`), or in any state past the first attempt (processing, authenticating, succeeded).
 */
// unscoped: by the id of a link already read (its public checkout).
export async function findLivePaymentOfLink(db: Executor, linkId: string, now: Date) {
  const [row] = await db
    .select()
    .from(payments)
    .where(
      and(eq(payments.paymentLinkId, linkId), notInArray(payments.status, ['canceled', 'expired'])),
    )
    .orderBy(desc(payments.id))
    .limit(1);
  if (!row) return undefined;
  return row.status !== 'requires_payment_method' || row.expiresAt > now ? row : undefined;
}
