import type { Executor } from '@expe/server-kit';
import {
  lockCheckoutSessionOfPayment,
  updateCheckoutSession,
} from '../db/checkout-session-repository.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import { recordCheckoutSessionEvent } from './checkout-resources.js';

/**
 * A session follows the payment it opened, in the payment's transaction (the caller holds the
 * payment's lock): paid, the session is complete (`checkout.session.completed`); canceled or
 * expired while the session was open, the session is expired (`checkout.session.expired`). A
 * payment no session opened is left alone. Whichever path moves the payment (the hosted page,
 * a UPI bank's approval, the expiry sweep, a cancel) carries the session along, so no path can
 * forget it.
 */
export async function completeCheckoutSessionOf(
  tx: Executor,
  payment: PaymentRow,
  now: Date,
): Promise<void> {
  const session = await lockCheckoutSessionOfPayment(tx, payment.id);
  if (!session || session.status === 'complete') return;
  // Money that arrived counts even when the session expired meanwhile (a pending UPI payment).
  const completed = await updateCheckoutSession(tx, session.id, {
    status: 'complete',
    completedAt: now,
    updatedAt: now,
  });
  await recordCheckoutSessionEvent(tx, 'checkout.session.completed', completed, now);
}

export async function expireCheckoutSessionOf(
  tx: Executor,
  payment: PaymentRow,
  now: Date,
): Promise<void> {
  const session = await lockCheckoutSessionOfPayment(tx, payment.id);
  if (session?.status !== 'open') return;
  const expired = await updateCheckoutSession(tx, session.id, {
    status: 'expired',
    expiredAt: now,
    updatedAt: now,
  });
  await recordCheckoutSessionEvent(tx, 'checkout.session.expired', expired, now);
}
