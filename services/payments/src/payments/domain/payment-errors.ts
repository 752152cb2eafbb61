import { errorCodes } from '@expe/contracts';
import { AppError } from '@expe/server-kit';
import type { PaymentRow } from '../db/payment-repository.js';
import type { StoredPaymentError } from '../../db/schema.js';
import { toPaymentResource, type PaymentLinks } from './resources.js';

/** The payment is not in a state that allows this action (confirm, cancel). */
export function paymentUnexpectedState(payment: PaymentRow, action: string): AppError {
  return AppError.of(
    'payment_unexpected_state',
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
  return attemptDeclined(error, { fields: { payment: toPaymentResource(payment, links) } });
}

/**
 * A declined attempt of a payment, a setup or an attach: it keeps the attempt's own code and
 * decline code (Stripe's, such as card_declined or upi_transaction_failed, some of which the API's
 * catalog does not list) and is 402 as every decline is, the catalog's card_declined status.
 */
export function attemptDeclined(
  error: Pick<StoredPaymentError, 'code' | 'message' | 'decline_code'> & {
    type: StoredPaymentError['type'];
  },
  options: { param?: string; fields?: Record<string, unknown> } = {},
): AppError {
  return new AppError(error.code, errorCodes.card_declined.status, error.message, {
    type: error.type,
    declineCode: error.decline_code,
    ...options,
  });
}
