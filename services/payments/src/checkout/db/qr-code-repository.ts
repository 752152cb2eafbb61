import { listScopedPage, scopedRows, selectPage } from '@expe/server-kit';
import type { Executor, Page, PageRequest, Scope } from '@expe/server-kit';
import { and, asc, eq, isNotNull, notInArray, sql, type SQL } from 'drizzle-orm';
import { qrCodes } from '../../db/instrument-schema.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import { payments } from '../../db/schema.js';

export type QrCodeRow = typeof qrCodes.$inferSelect;
export type NewQrCodeRow = typeof qrCodes.$inferInsert;
export type QrCodeChanges = Partial<
  Pick<
    NewQrCodeRow,
    'status' | 'closeReason' | 'closedAt' | 'paymentsCount' | 'paymentsAmountReceived' | 'updatedAt'
  >
>;

export const { insert: insertQrCode, find: findScopedQrCode } = scopedRows(qrCodes);

/** Locks the QR code a payment was made against (its counters change under this lock). */
// unscoped: by the id a payment of the code names (the payment was read in its scope).
export async function lockQrCode(db: Executor, id: string): Promise<QrCodeRow | undefined> {
  const [row] = await db.select().from(qrCodes).where(eq(qrCodes.id, id)).for('update');
  return row;
}

// unscoped: by id, of a QR code locked after a scoped read or claimed by the scheduler.
export async function updateQrCode(
  db: Executor,
  id: string,
  changes: QrCodeChanges,
): Promise<QrCodeRow> {
  const [row] = await db.update(qrCodes).set(changes).where(eq(qrCodes.id, id)).returning();
  if (!row) throw new Error(`QR code ${id} vanished while locked`);
  return row;
}

export async function listQrCodes(
  db: Executor,
  scope: Scope & { status?: 'active' | 'closed' | undefined },
  page: PageRequest,
): Promise<Page<QrCodeRow>> {
  const status = scope.status ? eq(qrCodes.status, scope.status) : undefined;
  return listScopedPage(db, qrCodes, scope, page, status);
}

/**
 * Claims one active QR code whose `close_by` has come (`isDue` says when that is, per row: the
 * project clock in test mode), skipping rows another replica holds.
 */
// unscoped: the scheduler's sweep over every project (each by its own clock).
export async function claimQrCodeToClose(
  db: Executor,
  isDue: (closeBy: typeof qrCodes.closeBy) => SQL,
): Promise<QrCodeRow | undefined> {
  const [row] = await db
    .select()
    .from(qrCodes)
    .where(and(eq(qrCodes.status, 'active'), isNotNull(qrCodes.closeBy), isDue(qrCodes.closeBy)))
    .orderBy(asc(qrCodes.closeBy))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** The payments made against a QR code, newest first. */
// unscoped: by the id of a QR code already read in its scope.
export async function listPaymentsOfQrCode(
  db: Executor,
  qrCodeId: string,
  page: PageRequest,
): Promise<Page<PaymentRow>> {
  return selectPage(db, payments, page, eq(payments.qrCodeId, qrCodeId));
}

/** Payments of the code that are paid or may still be: anything but canceled and expired. */
// unscoped: by the id of a QR code already read in its scope.
export async function countOpenQrCodePayments(db: Executor, qrCodeId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(payments)
    .where(
      and(eq(payments.qrCodeId, qrCodeId), notInArray(payments.status, ['canceled', 'expired'])),
    );
  return row?.count ?? 0;
}
