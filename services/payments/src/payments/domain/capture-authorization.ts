import type { Scope } from '@expe/server-kit';
import { AppError, notFound, type Executor } from '@expe/server-kit';
import { lockPayment, type PaymentRow } from '../db/payment-repository.js';
import { captureAuthorizedPayment } from './capture-payment.js';
import type { Clock } from '../../shared/domain/clock.js';
import { paymentUnexpectedState } from './payment-errors.js';

/**
 * The merchant captures an authorized payment (capture_method manual), all of it or
 * `amountToCapture`; the rest goes back to the payer. Under the payment's row lock, so of any
 * number of concurrent captures exactly one finds it in `requires_capture`.
 */
export async function captureAuthorization(
  tx: Executor,
  clock: Clock,
  scope: Scope,
  paymentId: string,
  amountToCapture: number | undefined,
): Promise<PaymentRow> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.projectId !== scope.projectId || payment.mode !== scope.mode) {
    throw notFound('payment', paymentId);
  }
  if (payment.status !== 'requires_capture') throw paymentUnexpectedState(payment, 'capture');
  const amount = amountToCapture ?? payment.amountCapturable;
  if (amount > payment.amountCapturable) {
    throw AppError.of(
      'amount_to_capture_invalid',
      `Invalid amount_to_capture: it must be at most the amount_capturable (${payment.amountCapturable})`,
      { param: 'amount_to_capture' },
    );
  }
  const now = await clock.now(tx, scope);
  return captureAuthorizedPayment(tx, payment, amount, now);
}
