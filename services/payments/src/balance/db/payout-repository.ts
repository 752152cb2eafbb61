import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { findScopedRow, listScopedPage, scopedRows, updateScopedRow } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { payouts, type PayoutStatus } from '../../db/balance-schema.js';

export type PayoutRow = typeof payouts.$inferSelect;
export type NewPayoutRow = typeof payouts.$inferInsert;

export const { insert: insertPayout, find: findScopedPayout } = scopedRows(payouts);

/** Reads the payout and locks its row, so concurrent updates merge one after the other. */
export async function lockScopedPayout(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<PayoutRow | undefined> {
  return findScopedRow(db, payouts, scope, id, { lock: true });
}

export async function updateScopedPayoutMetadata(
  db: Executor,
  scope: Scope,
  id: string,
  metadata: Record<string, string>,
): Promise<PayoutRow> {
  return updateScopedRow(db, payouts, scope, id, { metadata });
}

/** Sets what a payout's lifecycle changes (status, failure, reversal), on the locked row. */
export async function updateScopedPayout(
  db: Executor,
  scope: Scope,
  id: string,
  set: Partial<Pick<PayoutRow, 'status' | 'reversedById'>>,
): Promise<PayoutRow> {
  return updateScopedRow(db, payouts, scope, id, set);
}

/** The pending payout whose arrival_date came first by its project's clock, if any is due. */
// unscoped: the scheduler settles every project's payouts, each by its own clock (dueSql).
export async function findDuePayout(
  db: Executor,
  due: (column: AnyPgColumn, projectId: AnyPgColumn, mode: AnyPgColumn) => SQL,
): Promise<PayoutRow | undefined> {
  const [row] = await db
    .select()
    .from(payouts)
    .where(
      and(eq(payouts.status, 'pending'), due(payouts.arrivalDate, payouts.projectId, payouts.mode)),
    )
    .orderBy(asc(payouts.arrivalDate))
    .limit(1);
  return row;
}

export async function listPayouts(
  db: Executor,
  scope: Scope & { status?: PayoutStatus | undefined },
  page: PageRequest,
): Promise<Page<PayoutRow>> {
  const status = scope.status ? eq(payouts.status, scope.status) : undefined;
  return listScopedPage(db, payouts, scope, page, status);
}
