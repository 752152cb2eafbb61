import { unixSeconds } from '@expe/server-kit';
import type { ChargeResource } from '@expe/contracts';
import type { ChargeRow } from '../db/charge-repository.js';
import type { PaymentLinks } from './resources.js';

/**
 * A charge as the API shows it. `links` gives the hosted receipt its absolute URL; events, which
 * are stored and relayed, carry the receipt's path (as a payment's event carries its challenge
 * page's).
 */
export function toChargeResource(
  row: ChargeRow,
  links?: Pick<PaymentLinks, 'receiptUrl'>,
): ChargeResource {
  const isPaid = row.status === 'succeeded';
  return {
    id: row.id,
    object: 'charge',
    amount: row.amount,
    amount_captured: row.amountCaptured,
    amount_refunded: row.amountRefunded,
    currency: row.currency,
    status: row.status,
    paid: isPaid,
    captured: row.captured,
    refunded: row.refunded,
    payment: row.paymentId,
    customer: row.customerId,
    payment_method: row.paymentMethodId,
    payment_method_details: row.paymentMethodDetails,
    failure_code: row.failureCode,
    failure_message: row.failureMessage,
    outcome: row.outcome ?? null,
    balance_transaction: row.balanceTransactionId,
    billing_details: { address: null, email: row.receiptEmail, name: null, phone: null },
    receipt_url: isPaid ? (links?.receiptUrl(row.id) ?? `/receipts/${row.id}`) : null,
    receipt_email: row.receiptEmail,
    description: row.description,
    metadata: row.metadata,
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}
