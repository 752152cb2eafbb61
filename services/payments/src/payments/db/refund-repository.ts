import { eq, sql } from 'drizzle-orm';
import { findScopedRow, insertScoped, listScopedPage, updateScopedRow } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope, Unscoped } from '@expe/server-kit';
import { refunds } from '../../db/schema.js';

export type RefundRow = typeof refunds.$inferSelect;
export type NewRefundRow = typeof refunds.$inferInsert;

export async function insertRefund(
  db: Executor,
  scope: Scope,
  values: Unscoped<NewRefundRow>,
): Promise<RefundRow> {
  return insertScoped(db, refunds, scope, values);
}

export async function findScopedRefund(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<RefundRow | undefined> {
  return findScopedRow(db, refunds, scope, id);
}

/** The refund, locked, so concurrent metadata updates merge one after the other. */
export async function lockScopedRefund(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<RefundRow | undefined> {
  return findScopedRow(db, refunds, scope, id, { lock: true });
}

export async function updateScopedRefundMetadata(
  db: Executor,
  scope: Scope,
  id: string,
  metadata: Record<string, string>,
): Promise<RefundRow> {
  return updateScopedRow(db, refunds, scope, id, { metadata });
}

export async function listRefunds(
  db: Executor,
  scope: Scope & { paymentId?: string | undefined },
  page: PageRequest,
): Promise<Page<RefundRow>> {
  const payment = scope.paymentId ? eq(refunds.paymentId, scope.paymentId) : undefined;
  return listScopedPage(db, refunds, scope, page, payment);
}

// unscoped: by the id of a payment already read in its scope.
export async function sumRefundsOfPayment(db: Executor, paymentId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql`coalesce(sum(${refunds.amount}), 0)`.mapWith(Number) })
    .from(refunds)
    .where(eq(refunds.paymentId, paymentId));
  return row?.total ?? 0;
}
