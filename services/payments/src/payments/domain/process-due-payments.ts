import { withTransaction, type Database, type Transaction } from '@expe/server-kit';
import {
  claimDuePayment,
  updatePayment,
  type DuePaymentKind,
  type PaymentRow,
} from '../db/payment-repository.js';
import { settleSuccessfulAttempt } from './capture-payment.js';
import { markPaymentCanceled, releaseAuthorization } from './cancel-payment.js';
import { expireCheckoutSessionOf } from '../../checkout/domain/checkout-session-lifecycle.js';
import { type Clock } from '../../shared/domain/clock.js';
import { dueSql, type DueAt } from '../../shared/db/test-clock-repository.js';
import { recordPaymentEvent } from './payment-events.js';

/**
 * Completes one pending UPI payment whose delay has passed by its merchant's clock (the sandbox
 * bank "approves" it). `undefined` when none is due. Rows another replica holds are skipped.
 */
export function completeDuePendingPayment(
  db: Database,
  clock: Clock,
  at: DueAt,
): Promise<PaymentRow | undefined> {
  return processDue(db, clock, at, 'pending_upi', (tx, payment, now) =>
    settleSuccessfulAttempt(
      tx,
      payment,
      { method: payment.method ?? 'upi', payerUserId: null },
      now,
    ),
  );
}

/** Marks one unpaid payment past its `expires_at` as expired; `undefined` when none is due. */
export function expireDuePayment(
  db: Database,
  clock: Clock,
  at: DueAt,
): Promise<PaymentRow | undefined> {
  return processDue(db, clock, at, 'unpaid_expiry', async (tx, payment, now) => {
    const expired = await updatePayment(tx, payment.id, { status: 'expired', updatedAt: now });
    await recordPaymentEvent(tx, 'payment.expired', expired, now);
    await expireCheckoutSessionOf(tx, expired, now);
    return expired;
  });
}

/**
 * Cancels one authorization not captured within its validity (7 days of its merchant's clock)
 * and gives the held money back to the payer; `undefined` when none is due.
 */
export function expireDueAuthorization(
  db: Database,
  clock: Clock,
  at: DueAt,
): Promise<PaymentRow | undefined> {
  return processDue(db, clock, at, 'authorization_expiry', async (tx, payment, now) => {
    const canceled = await markPaymentCanceled(tx, payment, now);
    await releaseAuthorization(tx, payment, canceled, 'charge.expired', now);
    return canceled;
  });
}

function processDue(
  db: Database,
  clock: Clock,
  at: DueAt,
  kind: DuePaymentKind,
  work: (tx: Transaction, payment: PaymentRow, now: Date) => Promise<PaymentRow>,
): Promise<PaymentRow | undefined> {
  return withTransaction(db, async (tx) => {
    const payment = await claimDuePayment(tx, kind, (column, projectId, mode) =>
      dueSql(column, projectId, mode, at),
    );
    if (!payment) return undefined;
    // The change is stamped with the time of the payment's own clock.
    const now = await clock.now(tx, { projectId: payment.projectId, mode: payment.mode });
    return work(tx, payment, now);
  });
}
