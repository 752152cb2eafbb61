import type { Database } from '@expe/server-kit';
import { claimDuePayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import { inTransaction } from '../db/retry.js';
import { capturePayment } from './capture-payment.js';
import { recordPaymentEvent } from './events.js';

/**
 * Completes one pending UPI payment whose delay has passed (the sandbox bank "approves" it).
 * `undefined` when none is due. Rows another replica holds are skipped, not waited for.
 */
export function completeDuePendingPayment(
  db: Database,
  now = new Date(),
): Promise<PaymentRow | undefined> {
  return inTransaction(db, async (tx) => {
    const payment = await claimDuePayment(tx, 'processing', now);
    if (!payment) return undefined;
    return capturePayment(tx, payment, { method: payment.method ?? 'upi', payerUserId: null }, now);
  });
}

/** Marks one unpaid payment past its `expires_at` as expired; `undefined` when none is due. */
export function expireDuePayment(db: Database, now = new Date()): Promise<PaymentRow | undefined> {
  return inTransaction(db, async (tx) => {
    const payment = await claimDuePayment(tx, 'requires_payment_method', now);
    if (!payment) return undefined;
    const expired = await updatePayment(tx, payment.id, { status: 'expired', updatedAt: now });
    await recordPaymentEvent(tx, 'payment.expired', expired, now);
    return expired;
  });
}
