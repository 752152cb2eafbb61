import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@expe/server-kit';
import { scopeColumns, type Unscoped } from '../../db/scope-columns.js';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { payouts, type PayoutStatus } from '../../db/balance-schema.js';
import type { Scope } from '@expe/server-kit';

export type PayoutRow = typeof payouts.$inferSelect;
export type NewPayoutRow = typeof payouts.$inferInsert;

export async function insertPayout(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewPayoutRow>,
): Promise<PayoutRow> {
  const [row] = await db
    .insert(payouts)
    .values({ ...values, ...scopeColumns(scope) })
    .returning();
  if (!row) throw new Error('payout insert returned nothing');
  return row;
}

export async function findScopedPayout(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<PayoutRow | undefined> {
  const [row] = await db
    .select()
    .from(payouts)
    .where(
      and(eq(payouts.id, id), eq(payouts.projectId, scope.projectId), eq(payouts.mode, scope.mode)),
    );
  return row;
}

/** Reads the payout and locks its row, so concurrent updates merge one after the other. */
export async function lockScopedPayout(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<PayoutRow | undefined> {
  const [row] = await db
    .select()
    .from(payouts)
    .where(
      and(eq(payouts.id, id), eq(payouts.projectId, scope.projectId), eq(payouts.mode, scope.mode)),
    )
    .for('update');
  return row;
}

export async function updateScopedPayoutMetadata(
  db: Executor,
  scope: Scope,
  id: string,
  metadata: Record<string, string>,
): Promise<PayoutRow> {
  const [row] = await db
    .update(payouts)
    .set({ metadata })
    .where(
      and(eq(payouts.id, id), eq(payouts.projectId, scope.projectId), eq(payouts.mode, scope.mode)),
    )
    .returning();
  if (!row) throw new Error(`payout ${id} vanished while locked`);
  return row;
}

/** Sets what a payout's lifecycle changes (status, failure, reversal), on the locked row. */
export async function updateScopedPayout(
  db: Executor,
  scope: Scope,
  id: string,
  set: Partial<Pick<PayoutRow, 'status' | 'reversedById'>>,
): Promise<PayoutRow> {
  const [row] = await db
    .update(payouts)
    .set(set)
    .where(
      and(eq(payouts.id, id), eq(payouts.projectId, scope.projectId), eq(payouts.mode, scope.mode)),
    )
    .returning();
  if (!row) throw new Error(`payout ${id} vanished while locked`);
  return row;
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
  const { cursor, orderBy, fetch } = pageQuery(payouts.id, page);
  const rows = await db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.projectId, scope.projectId),
        eq(payouts.mode, scope.mode),
        scope.status ? eq(payouts.status, scope.status) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}
