import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import type { MerchantScope } from './payment-repository.js';
import { refunds } from './schema.js';

export type RefundRow = typeof refunds.$inferSelect;
export type NewRefundRow = typeof refunds.$inferInsert;

export async function insertRefund(db: Executor, values: NewRefundRow): Promise<RefundRow> {
  const [row] = await db.insert(refunds).values(values).returning();
  if (!row) throw new Error('refund insert returned nothing');
  return row;
}

export async function findScopedRefund(
  db: Executor,
  scope: MerchantScope,
  id: string,
): Promise<RefundRow | undefined> {
  const [row] = await db
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.id, id),
        eq(refunds.merchantId, scope.merchantId),
        eq(refunds.mode, scope.mode),
      ),
    );
  return row;
}

export async function listRefunds(
  db: Executor,
  filter: MerchantScope & { paymentId?: string | undefined },
  page: PageRequest,
): Promise<Page<RefundRow>> {
  const { cursor, orderBy, fetch } = pageQuery(refunds.id, page);
  const rows = await db
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.merchantId, filter.merchantId),
        eq(refunds.mode, filter.mode),
        filter.paymentId ? eq(refunds.paymentId, filter.paymentId) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

export async function sumRefundsOfPayment(db: Executor, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql`coalesce(sum(${refunds.amount}), 0)`.mapWith(Number) })
    .from(refunds)
    .where(eq(refunds.paymentId, paymentId));
  return row?.total ?? 0;
}
