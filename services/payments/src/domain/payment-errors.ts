import { AppError } from '@expe/server-kit';
import type { PaymentRow } from '../db/payment-repository.js';

/** The payment is not in a state that allows this action (confirm, cancel). */
export function paymentUnexpectedState(payment: PaymentRow, action: string): AppError {
  return new AppError(
    'payment_unexpected_state',
    409,
    `You cannot ${action} this payment because it has a status of ${payment.status}`,
  );
}
