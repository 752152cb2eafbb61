import { notFound, unixSeconds, type Executor } from '@expe/server-kit';
import type { Receipt } from '@expe/contracts';
import { findCharge, type ChargeRow } from '../db/charge-repository.js';
import { findPayment } from '../db/payment-repository.js';
import type { PaymentLinks } from './resources.js';

/**
 * The hosted receipt of a succeeded charge, for whoever holds its receipt_url (no credential:
 * the token is the right to read it). A wrong token, a charge without a receipt and an unknown id
 * are the same 404, so the answer tells nothing about which charges exist.
 */
export async function getReceipt(
  db: Executor,
  links: Pick<PaymentLinks, 'isReceiptTokenOf'>,
  id: string,
  token: string,
): Promise<Receipt> {
  // The token is checked before the database is read: a guess costs no lookup and takes the
  // same time whether or not the charge exists.
  const charge = links.isReceiptTokenOf(id, token) ? await findCharge(db, id) : undefined;
  if (!charge || charge.status !== 'succeeded') throw notFound('charge', id);
  const payment = await findPayment(db, charge.paymentId);
  if (!payment) throw new Error(`the payment of charge ${id} is missing`);
  return toReceipt(charge, payment.merchantName);
}

function toReceipt(charge: ChargeRow, merchantName: string): Receipt {
  const details = charge.paymentMethodDetails;
  return {
    object: 'receipt',
    charge: charge.id,
    receipt_number: receiptNumber(charge.id),
    merchant: { name: merchantName },
    amount: charge.amount,
    amount_captured: charge.amountCaptured,
    amount_refunded: charge.amountRefunded,
    currency: charge.currency,
    status: charge.status,
    refunded: charge.refunded,
    payment_method: {
      type: details.type,
      card: details.card ? { brand: details.card.brand, last4: details.card.last4 } : null,
    },
    description: charge.description,
    livemode: charge.mode === 'live',
    created: unixSeconds(charge.createdAt),
  };
}

/** `1234-ABCD`-style, from the random end of the charge id: printable, and the same every time. */
function receiptNumber(chargeId: string): string {
  const tail = chargeId.slice(-8).toUpperCase();
  return `${tail.slice(0, 4)}-${tail.slice(4)}`;
}
