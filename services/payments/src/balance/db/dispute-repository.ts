import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { listScopedPage, scopedRows } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { disputes, type DisputeStatus } from '../../db/balance-schema.js';

export type DisputeRow = typeof disputes.$inferSelect;
export type NewDisputeRow = typeof disputes.$inferInsert;
export type DisputeChanges = Partial<Pick<NewDisputeRow, 'status' | 'evidence' | 'closedAt'>>;

export const { insert: insertDispute, find: findScopedDispute } = scopedRows(disputes);

// unscoped: by the id of a payment already read in its scope.
export async function findDisputeOfPayment(
  db: Executor,
  paymentId: string,
): Promise<DisputeRow | undefined> {
  const [row] = await db.select().from(disputes).where(eq(disputes.paymentId, paymentId));
  return row;
}

// unscoped: by id, of a dispute read in its scope or found due by the scheduler.
export async function updateDispute(
  db: Executor,
  id: string,
  changes: DisputeChanges,
): Promise<DisputeRow> {
  const [row] = await db.update(disputes).set(changes).where(eq(disputes.id, id)).returning();
  if (!row) throw new Error(`dispute ${id} vanished`);
  return row;
}

export async function listDisputes(
  db: Executor,
  scope: Scope & { status?: DisputeStatus | undefined; paymentId?: string | undefined },
  page: PageRequest,
): Promise<Page<DisputeRow>> {
  const status = scope.status ? eq(disputes.status, scope.status) : undefined;
  const payment = scope.paymentId ? eq(disputes.paymentId, scope.paymentId) : undefined;
  return listScopedPage(db, disputes, scope, page, status, payment);
}

/** One open dispute whose evidence deadline passed by its project's clock. */
// unscoped: the scheduler's sweep over every project (each by its own clock).
export async function findDueDispute(
  db: Executor,
  due: (column: AnyPgColumn, projectId: AnyPgColumn, mode: AnyPgColumn) => SQL,
): Promise<DisputeRow | undefined> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(
      and(
        eq(disputes.status, 'needs_response'),
        due(disputes.evidenceDueBy, disputes.projectId, disputes.mode),
      ),
    )
    .orderBy(asc(disputes.evidenceDueBy))
    .limit(1);
  return row;
}
