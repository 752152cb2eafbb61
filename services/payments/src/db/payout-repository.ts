import { and, eq } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { scopeColumns, type Unscoped } from './scope-columns.js';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { payouts, type PayoutStatus } from './balance-schema.js';
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
