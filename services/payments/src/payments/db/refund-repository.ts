import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { scopeColumns, type Unscoped } from '../../db/scope-columns.js';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import type { Scope } from '@expe/server-kit';
import { refunds } from '../../db/schema.js';

export type RefundRow = typeof refunds.$inferSelect;
export type NewRefundRow = typeof refunds.$inferInsert;

export async function insertRefund(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewRefundRow>,
): Promise<RefundRow> {
  const [row] = await db
    .insert(refunds)
    .values({ ...values, ...scopeColumns(scope) })
    .returning();
  if (!row) throw new Error('refund insert returned nothing');
  return row;
}

export async function findScopedRefund(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<RefundRow | undefined> {
  const [row] = await db
    .select()
    .from(refunds)
    .where(
      and(eq(refunds.id, id), eq(refunds.projectId, scope.projectId), eq(refunds.mode, scope.mode)),
    );
  return row;
}

/** The refund, locked, so concurrent metadata updates merge one after the other. */
export async function lockScopedRefund(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<RefundRow | undefined> {
  const [row] = await db
    .select()
    .from(refunds)
    .where(
      and(eq(refunds.id, id), eq(refunds.projectId, scope.projectId), eq(refunds.mode, scope.mode)),
    )
    .for('update');
  return row;
}

export async function updateScopedRefundMetadata(
  db: Executor,
  scope: Scope,
  id: string,
  metadata: Record<string, string>,
): Promise<RefundRow> {
  const [row] = await db
    .update(refunds)
    .set({ metadata })
    .where(
      and(eq(refunds.id, id), eq(refunds.projectId, scope.projectId), eq(refunds.mode, scope.mode)),
    )
    .returning();
  if (!row) throw new Error(`refund ${id} vanished while locked`);
  return row;
}

export async function listRefunds(
  db: Executor,
  scope: Scope & { paymentId?: string | undefined },
  page: PageRequest,
): Promise<Page<RefundRow>> {
  const { cursor, orderBy, fetch } = pageQuery(refunds.id, page);
  const rows = await db
    .select()
    .from(refunds)
    .where(
      and(
        eq(refunds.projectId, scope.projectId),
        eq(refunds.mode, scope.mode),
        scope.paymentId ? eq(refunds.paymentId, scope.paymentId) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

// unscoped: by the id of a payment already read in its scope.
export async function sumRefundsOfPayment(db: Executor, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql`coalesce(sum(${refunds.amount}), 0)`.mapWith(Number) })
    .from(refunds)
    .where(eq(refunds.paymentId, paymentId));
  return row?.total ?? 0;
}
