import { AppError } from '@expe/server-kit';
import type { PaymentRow } from '../db/payment-repository.js';
import type { StoredPaymentError } from '../../db/schema.js';
import { toPaymentResource, type PaymentLinks } from './resources.js';

/** The payment is not in a state that allows this action (confirm, cancel). */
export function paymentUnexpectedState(payment: PaymentRow, action: string): AppError {
  return new AppError(
    'payment_unexpected_state',
    409,
    `You cannot ${action} this payment because it has a status of ${payment.status}`,
  );
}

/**
 * An attempt the card network or bank declined (402): like Stripe, the error object carries the
 * payment, so the page can show its state. The failure itself is recorded and stands.
 */
export function paymentDeclined(
  payment: PaymentRow,
  error: StoredPaymentError,
  links: PaymentLinks,
): AppError {
  return new AppError(error.code, 402, error.message, {
    type: error.type,
    declineCode: error.decline_code,
    fields: { payment: toPaymentResource(payment, links) },
  });
}
