import type { Scope } from '@expe/server-kit';
import { notFound, type Executor } from '@expe/server-kit';
import { lockPayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import { releaseHold } from './capture-payment.js';
import { recordChargeRelease } from './charges.js';
import { expireCheckoutSessionOf } from '../../checkout/domain/checkout-session-lifecycle.js';
import type { Clock } from '../../shared/domain/clock.js';
import { recordPaymentEvent } from './payment-events.js';
import { paymentUnexpectedState } from './payment-errors.js';

const cancelableStatuses = new Set<PaymentRow['status']>([
  'requires_payment_method',
  'requires_action',
  'requires_capture',
]);

/**
 * The merchant gives up on a payment that has not moved money to it: an open one, one waiting
 * for 3-D Secure, or an authorization, whose held money goes back to the payer.
 */
export async function cancelPayment(
  tx: Executor,
  clock: Clock,
  scope: Scope,
  paymentId: string,
): Promise<PaymentRow> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.projectId !== scope.projectId || payment.mode !== scope.mode) {
    throw notFound('payment', paymentId);
  }
  if (!cancelableStatuses.has(payment.status)) throw paymentUnexpectedState(payment, 'cancel');
  const now = await clock.now(tx, scope);
  const canceled = await updatePayment(tx, payment.id, {
    status: 'canceled',
    amountCapturable: 0,
    canceledAt: now,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.canceled', canceled, now);
  await expireCheckoutSessionOf(tx, canceled, now);
  if (payment.status === 'requires_capture') {
    await recordChargeRelease(tx, canceled, 'charge.refunded', now);
    await releaseHold(tx, payment, payment.amountCapturable, now);
  }
  return canceled;
}
