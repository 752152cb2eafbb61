import type { Scope } from '@expe/server-kit';
import { AppError, notFound, type Executor } from '@expe/server-kit';
import {
  findScopedCheckoutSession,
  type CheckoutSessionRow,
} from '../db/checkout-session-repository.js';
import { lockPayment } from '../../payments/db/payment-repository.js';
import { cancelPayment } from '../../payments/domain/cancel-payment.js';
import type { Clock } from '../../shared/domain/clock.js';

/** Payments a session can still be expired with: nobody has started paying, or 3-D Secure waits. */
const expirableStatuses = new Set(['requires_payment_method', 'requires_action']);

/**
 * The merchant closes an open session (`POST /v1/checkout/sessions/:id/expire`): its payment is
 * canceled, which expires the session and records `checkout.session.expired`
 * (checkout-session-lifecycle.ts). A session that is complete, already expired, or whose payment
 * is being paid (a pending UPI payment) is refused.
 */
export async function expireCheckoutSession(
  tx: Executor,
  clock: Clock,
  scope: Scope,
  id: string,
): Promise<CheckoutSessionRow> {
  const session = await findScopedCheckoutSession(tx, scope, id);
  if (!session) throw notFound('checkout_session', id);
  // The payment's lock first, as every payment transition takes it, then the session's.
  const payment = await lockPayment(tx, session.paymentId);
  const locked = await findScopedCheckoutSession(tx, scope, id, { lock: true });
  if (!payment || !locked) throw notFound('checkout_session', id);
  if (locked.status !== 'open' || !expirableStatuses.has(payment.status)) {
    throw AppError.of(
      'checkout_session_unexpected_state',
      locked.status === 'open'
        ? `This Checkout Session's payment is ${payment.status} and the session can no longer be expired`
        : `This Checkout Session is ${locked.status} and can no longer be expired`,
      { param: 'id' },
    );
  }
  await cancelPayment(tx, clock, scope, payment.id);
  const expired = await findScopedCheckoutSession(tx, scope, id);
  if (!expired) throw notFound('checkout_session', id);
  return expired;
}
