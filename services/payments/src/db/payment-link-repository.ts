import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { paymentLinks } from './instrument-schema.js';
import type { MerchantScope } from './payment-repository.js';
import { payments } from './schema.js';

export type PaymentLinkRow = typeof paymentLinks.$inferSelect;
export type NewPaymentLinkRow = typeof paymentLinks.$inferInsert;

export async function insertPaymentLink(
  db: Executor,
  values: NewPaymentLinkRow,
): Promise<PaymentLinkRow> {
  const [row] = await db.insert(paymentLinks).values(values).returning();
  if (!row) throw new Error('payment link insert returned nothing');
  return row;
}

export async function findScopedPaymentLink(
  db: Executor,
  scope: MerchantScope,
  id: string,
): Promise<PaymentLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(paymentLinks)
    .where(
      and(
        eq(paymentLinks.id, id),
        eq(paymentLinks.merchantId, scope.merchantId),
        eq(paymentLinks.mode, scope.mode),
      ),
    );
  return row;
}

/** Locks the link: checkouts and payments of one link queue on it. */
export async function lockPaymentLink(
  db: Executor,
  id: string,
): Promise<PaymentLinkRow | undefined> {
  const [row] = await db.select().from(paymentLinks).where(eq(paymentLinks.id, id)).for('update');
  return row;
}

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
  scope: MerchantScope,
  page: PageRequest,
): Promise<Page<PaymentLinkRow>> {
  const { cursor, orderBy, fetch } = pageQuery(paymentLinks.id, page);
  const rows = await db
    .select()
    .from(paymentLinks)
    .where(
      and(eq(paymentLinks.merchantId, scope.merchantId), eq(paymentLinks.mode, scope.mode), cursor),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

/**
 * The newest payment of the link that is paid or may still be paid: open and not past its expiry
 * (by `now`), or in any state past the first attempt (processing, authenticating, succeeded).
 */
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
