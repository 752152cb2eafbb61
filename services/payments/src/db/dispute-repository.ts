import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '@expe/server-kit';
import { pageQuery, toPage, type Page, type PageRequest } from '@expe/server-kit';
import { disputes, type DisputeStatus } from './balance-schema.js';
import type { MerchantScope } from './payment-repository.js';

export type DisputeRow = typeof disputes.$inferSelect;
export type NewDisputeRow = typeof disputes.$inferInsert;
export type DisputeChanges = Partial<Pick<NewDisputeRow, 'status' | 'evidence' | 'closedAt'>>;

export async function insertDispute(db: Executor, values: NewDisputeRow): Promise<DisputeRow> {
  const [row] = await db.insert(disputes).values(values).returning();
  if (!row) throw new Error('dispute insert returned nothing');
  return row;
}

export async function findScopedDispute(
  db: Executor,
  scope: MerchantScope,
  id: string,
): Promise<DisputeRow | undefined> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(
      and(
        eq(disputes.id, id),
        eq(disputes.merchantId, scope.merchantId),
        eq(disputes.mode, scope.mode),
      ),
    );
  return row;
}

export async function findDisputeOfPayment(
  db: Executor,
  paymentId: string,
): Promise<DisputeRow | undefined> {
  const [row] = await db.select().from(disputes).where(eq(disputes.paymentId, paymentId));
  return row;
}

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
  filter: MerchantScope & { status?: DisputeStatus | undefined; paymentId?: string | undefined },
  page: PageRequest,
): Promise<Page<DisputeRow>> {
  const { cursor, orderBy, fetch } = pageQuery(disputes.id, page);
  const rows = await db
    .select()
    .from(disputes)
    .where(
      and(
        eq(disputes.merchantId, filter.merchantId),
        eq(disputes.mode, filter.mode),
        filter.status ? eq(disputes.status, filter.status) : undefined,
        filter.paymentId ? eq(disputes.paymentId, filter.paymentId) : undefined,
        cursor,
      ),
    )
    .orderBy(orderBy)
    .limit(fetch);
  return toPage(rows, page);
}

/** One open dispute whose evidence deadline passed by its merchant's clock. */
export async function findDueDispute(
  db: Executor,
  due: (column: AnyPgColumn, merchantId: AnyPgColumn, mode: AnyPgColumn) => SQL,
): Promise<DisputeRow | undefined> {
  const [row] = await db
    .select()
    .from(disputes)
    .where(
      and(
        eq(disputes.status, 'needs_response'),
        due(disputes.evidenceDueBy, disputes.merchantId, disputes.mode),
      ),
    )
    .orderBy(asc(disputes.evidenceDueBy))
    .limit(1);
  return row;
}
