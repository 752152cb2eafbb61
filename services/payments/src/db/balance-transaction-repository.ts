import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import {
  balanceSettings,
  balanceTransactions,
  type BalanceTransactionType,
} from './balance-schema.js';
import type { MerchantScope } from './payment-repository.js';

export type BalanceTransactionRow = typeof balanceTransactions.$inferSelect;
export type NewBalanceTransactionRow = typeof balanceTransactions.$inferInsert;

export async function insertBalanceTransaction(
  db: Executor,
  values: NewBalanceTransactionRow,
): Promise<BalanceTransactionRow> {
  const [row] = await db.insert(balanceTransactions).values(values).returning();
  if (!row) throw new Error('balance transaction insert returned nothing');
  return row;
}

export async function findScopedBalanceTransaction(
  db: Executor,
  scope: MerchantScope,
  id: string,
): Promise<BalanceTransactionRow | undefined> {
  const [row] = await db
    .select()
    .from(balanceTransactions)
    .where(
      and(
        eq(balanceTransactions.id, id),
        eq(balanceTransactions.merchantId, scope.merchantId),
        eq(balanceTransactions.mode, scope.mode),
      ),
    );
  return row;
}

export interface BalanceTransactionFilter extends MerchantScope {
  type?: BalanceTransactionType | undefined;
  source?: string | undefined;
  payout?: string | undefined;
}

export async function listBalanceTransactions(
  db: Executor,
  filter: BalanceTransactionFilter,
  page: PageRequest,
): Promise<Page<BalanceTransactionRow>> {
  const { cursor, orderBy, fetch } = pageQuery(balanceTransactions.id, page);
  const rows = await db
    .select()
    .from(balanceTransactions)
    .where(
      and(
        eq(balanceTransactions.merchantId, filter.merchantId),
        eq(balanceTransactions.mode, filter.mode),
        filter.type ? eq(balanceTransactions.type, filter.type) : undefined,
        filter.source ? eq(balanceTransactions.source, filter.source) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

/** The balance transaction that credited a payment (absent for payments captured before fees). */
export async function findPaymentCredit(
  db: Executor,
  paymentId: string,
): Promise<BalanceTransactionRow | undefined> {
  const [row] = await db
    .select()
    .from(balanceTransactions)
    .where(and(eq(balanceTransactions.source, paymentId), eq(balanceTransactions.type, 'payment')));
  return row;
}

/**
 * One payment whose pending funds are due by its merchant's clock (`due` builds the condition,
 * see domain/clock.ts), oldest first.
 */
export async function findDuePendingPayment(
  db: Executor,
  due: (column: AnyPgColumn, merchantId: AnyPgColumn, mode: AnyPgColumn) => SQL,
  skip: string[],
): Promise<string | undefined> {
  const [row] = await db
    .select({ paymentId: balanceTransactions.paymentId })
    .from(balanceTransactions)
    .where(
      and(
        eq(balanceTransactions.status, 'pending'),
        sql`${balanceTransactions.paymentId} is not null`,
        skip.length > 0
          ? sql`${balanceTransactions.paymentId} <> all(${sql.param(skip)}::text[])`
          : undefined,
        due(
          balanceTransactions.availableOn,
          balanceTransactions.merchantId,
          balanceTransactions.mode,
        ),
      ),
    )
    .orderBy(asc(balanceTransactions.availableOn))
    .limit(1);
  return row?.paymentId ?? undefined;
}

export async function listPendingOfPayment(
  db: Executor,
  paymentId: string,
): Promise<BalanceTransactionRow[]> {
  return db
    .select()
    .from(balanceTransactions)
    .where(
      and(eq(balanceTransactions.paymentId, paymentId), eq(balanceTransactions.status, 'pending')),
    )
    .orderBy(asc(balanceTransactions.id))
    .for('update');
}

export async function markPaymentFundsAvailable(db: Executor, paymentId: string): Promise<number> {
  const rows = await db
    .update(balanceTransactions)
    .set({ status: 'available' })
    .where(
      and(eq(balanceTransactions.paymentId, paymentId), eq(balanceTransactions.status, 'pending')),
    )
    .returning({ id: balanceTransactions.id });
  return rows.length;
}

/** Fees are on unless the merchant turned them off. */
export async function areFeesEnabled(db: Executor, merchantId: string): Promise<boolean> {
  const [row] = await db
    .select({ feesEnabled: balanceSettings.feesEnabled })
    .from(balanceSettings)
    .where(eq(balanceSettings.merchantId, merchantId));
  return row?.feesEnabled ?? true;
}

export async function upsertBalanceSettings(
  db: Executor,
  merchantId: string,
  values: { feesEnabled: boolean; updatedAt: Date },
): Promise<{ feesEnabled: boolean }> {
  const [row] = await db
    .insert(balanceSettings)
    .values({ merchantId, ...values })
    .onConflictDoUpdate({ target: balanceSettings.merchantId, set: values })
    .returning({ feesEnabled: balanceSettings.feesEnabled });
  if (!row) throw new Error('balance settings upsert returned nothing');
  return row;
}

export async function listBalanceTransactionsOfSource(
  db: Executor,
  source: string,
): Promise<BalanceTransactionRow[]> {
  return db
    .select()
    .from(balanceTransactions)
    .where(eq(balanceTransactions.source, source))
    .orderBy(asc(balanceTransactions.id));
}
