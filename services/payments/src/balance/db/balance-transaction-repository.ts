import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { listScopedPage, scopedRows } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import {
  balanceSettings,
  balanceTransactions,
  type BalanceTransactionType,
} from '../../db/balance-schema.js';

export type BalanceTransactionRow = typeof balanceTransactions.$inferSelect;
export type NewBalanceTransactionRow = typeof balanceTransactions.$inferInsert;

export const { insert: insertBalanceTransaction, find: findScopedBalanceTransaction } =
  scopedRows(balanceTransactions);

export interface BalanceTransactionFilter extends Scope {
  type?: BalanceTransactionType | undefined;
  source?: string | undefined;
  payout?: string | undefined;
}

export async function listBalanceTransactions(
  db: Executor,
  scope: BalanceTransactionFilter,
  page: PageRequest,
): Promise<Page<BalanceTransactionRow>> {
  const type = scope.type ? eq(balanceTransactions.type, scope.type) : undefined;
  // A charge's money is its payment's `payment` row (Stripe names the charge as source).
  const source = scope.source?.startsWith('ch_')
    ? eq(balanceTransactions.chargeId, scope.source)
    : scope.source
      ? eq(balanceTransactions.source, scope.source)
      : undefined;
  return listScopedPage(db, balanceTransactions, scope, page, type, source);
}

/** The balance transaction that credited a payment (absent for payments captured before fees). */
// unscoped: by the id of a payment already read in its scope.
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
 * One payment whose pending funds are due by its project's clock (`due` builds the condition,
 * see domain/clock.ts), oldest first.
 */
// unscoped: the scheduler's sweep over every project (each by its own clock).
export async function findDuePendingPayment(
  db: Executor,
  due: (column: AnyPgColumn, projectId: AnyPgColumn, mode: AnyPgColumn) => SQL,
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
          balanceTransactions.projectId,
          balanceTransactions.mode,
        ),
      ),
    )
    .orderBy(asc(balanceTransactions.availableOn))
    .limit(1);
  return row?.paymentId ?? undefined;
}

// unscoped: by the id of a payment whose funds are due (a sweep) or read in its scope.
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

// unscoped: by the id of a payment whose pending rows were just locked.
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

/** Fees are on unless the project turned them off (one setting for both modes). */
export async function areFeesEnabled(db: Executor, scope: Scope): Promise<boolean> {
  const [row] = await db
    .select({ feesEnabled: balanceSettings.feesEnabled })
    .from(balanceSettings)
    .where(eq(balanceSettings.projectId, scope.projectId));
  return row?.feesEnabled ?? true;
}

export async function upsertBalanceSettings(
  db: Executor,
  scope: Scope,
  values: { feesEnabled: boolean; updatedAt: Date },
): Promise<{ feesEnabled: boolean }> {
  const [row] = await db
    .insert(balanceSettings)
    .values({ projectId: scope.projectId, merchantId: scope.merchantId, ...values })
    .onConflictDoUpdate({ target: balanceSettings.projectId, set: values })
    .returning({ feesEnabled: balanceSettings.feesEnabled });
  if (!row) throw new Error('balance settings upsert returned nothing');
  return row;
}

// unscoped: by the id of an object (pay_, re_, dp_, po_) already read in its scope.
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
