import {
  AppError,
  notFound,
  withTransaction,
  type Database,
  type Executor,
} from '@expe/server-kit';
import {
  claimQrCodeToClose,
  findScopedQrCode,
  updateQrCode,
  type QrCodeRow,
} from '../db/qr-code-repository.js';
import type { Scope } from '@expe/server-kit';
import { type Clock } from '../../shared/domain/clock.js';
import { dueSql, type DueAt } from '../../shared/db/test-clock-repository.js';
import { qrCodes } from '../../db/instrument-schema.js';
import { toQrCodeResource } from './checkout-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

type CloseReason = NonNullable<QrCodeRow['closeReason']>;

/** Closes a QR code the caller has locked, with its `qr_code.closed` event. */
export async function closeLockedQrCode(
  tx: Executor,
  qr: QrCodeRow,
  reason: CloseReason,
  now: Date,
): Promise<QrCodeRow> {
  const closed = await updateQrCode(tx, qr.id, {
    status: 'closed',
    closeReason: reason,
    closedAt: now,
    updatedAt: now,
  });
  await recordInstrumentEvent(tx, 'qr_code.closed', closed, toQrCodeResource(closed), now);
  return closed;
}

/** The merchant closes a QR code: UPI apps that scan it from now on cannot pay it. */
export async function closeQrCode(
  tx: Executor,
  scope: Scope,
  id: string,
  now: Date,
): Promise<QrCodeRow> {
  const qr = await findScopedQrCode(tx, scope, id, { lock: true });
  if (!qr) throw notFound('qr_code', id);
  if (qr.status === 'closed') {
    throw AppError.of('qr_code_closed', 'This QR code is already closed', { param: 'id' });
  }
  return closeLockedQrCode(tx, qr, 'closed_by_merchant', now);
}

/**
 * Closes one active QR code whose `close_by` has come by its merchant's clock; `undefined` when
 * none is due. Due work of the scheduler and of a test clock advance.
 */
// unscoped: the scheduler's sweep over every project (each QR code by its own project's clock).
export function closeDueQrCode(
  db: Database,
  clock: Clock,
  at: DueAt,
): Promise<QrCodeRow | undefined> {
  return withTransaction(db, async (tx) => {
    const qr = await claimQrCodeToClose(tx, (closeBy) =>
      dueSql(closeBy, qrCodes.projectId, qrCodes.mode, at),
    );
    if (!qr) return undefined;
    // Closed at its close_by: that is when it stopped accepting payments.
    const now = qr.closeBy ?? (await clock.now(tx, { projectId: qr.projectId, mode: qr.mode }));
    return closeLockedQrCode(tx, qr, 'close_by_reached', now);
  });
}
