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
  const canceled = await markPaymentCanceled(tx, payment, now);
  await expireCheckoutSessionOf(tx, canceled, now);
  if (payment.status === 'requires_capture') {
    await releaseAuthorization(tx, payment, canceled, 'charge.refunded', now);
  }
  return canceled;
}

/**
 * Marks a payment the caller has locked canceled, with nothing left to capture: event
 * `payment.canceled`. The merchant's cancel and the scheduler's expired authorization alike.
 */
export async function markPaymentCanceled(
  tx: Executor,
  payment: PaymentRow,
  now: Date,
): Promise<PaymentRow> {
  const canceled = await updatePayment(tx, payment.id, {
    status: 'canceled',
    amountCapturable: 0,
    canceledAt: now,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.canceled', canceled, now);
  return canceled;
}

/**
 * Gives a canceled authorization's held money back to the payer: its charge released with
 * `event` (`charge.refunded` when the merchant cancels, `charge.expired` when it lapses), then
 * the hold `authorized` still had released.
 */
export async function releaseAuthorization(
  tx: Executor,
  authorized: PaymentRow,
  canceled: PaymentRow,
  event: Parameters<typeof recordChargeRelease>[2],
  now: Date,
): Promise<void> {
  await recordChargeRelease(tx, canceled, event, now);
  await releaseHold(tx, authorized, authorized.amountCapturable, now);
}
