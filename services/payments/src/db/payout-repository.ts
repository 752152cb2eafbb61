import { and, eq } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { payouts, type PayoutStatus } from './balance-schema.js';
import type { MerchantScope } from './payment-repository.js';

export type PayoutRow = typeof payouts.$inferSelect;
export type NewPayoutRow = typeof payouts.$inferInsert;

export async function insertPayout(db: Executor, values: NewPayoutRow): Promise<PayoutRow> {
  const [row] = await db.insert(payouts).values(values).returning();
  if (!row) throw new Error('payout insert returned nothing');
  return row;
}

export async function findScopedPayout(
  db: Executor,
  scope: MerchantScope,
  id: string,
): Promise<PayoutRow | undefined> {
  const [row] = await db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.id, id),
        eq(payouts.merchantId, scope.merchantId),
        eq(payouts.mode, scope.mode),
      ),
    );
  return row;
}

export async function listPayouts(
  db: Executor,
  filter: MerchantScope & { status?: PayoutStatus | undefined },
  page: PageRequest,
): Promise<Page<PayoutRow>> {
  const { cursor, orderBy, fetch } = pageQuery(payouts.id, page);
  const rows = await db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.merchantId, filter.merchantId),
        eq(payouts.mode, filter.mode),
        filter.status ? eq(payouts.status, filter.status) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}
