import { createHmac } from 'node:crypto';
import { constantTimeEqual, unixSeconds, type Secret } from '@expe/server-kit';
import type { PaymentResource, RefundResource } from '@expe/contracts';
import type { PaymentRow } from '../db/payment-repository.js';
import type { RefundRow } from '../db/refund-repository.js';
import { buildUpiUri } from './upi-uri.js';

/**
 * The checkout credentials of a payment. The client secret is derived, never stored:
 * `<id>_secret_<first 32 chars of base64url(HMAC-SHA256(key, id))>`, so a database leak does not
 * leak the right to confirm payments. A charge's receipt token is made the same way, of
 * `receipt:<charge id>`.
 */
export interface PaymentLinks {
  clientSecret(paymentId: string): string;
  /** Constant-time check of a presented client secret against the payment's. */
  isClientSecretOf(paymentId: string, presented: string): boolean;
  /** The hosted checkout page; the secret rides in the fragment, which browsers never send. */
  checkoutUrl(paymentId: string): string;
  /**
   * The hosted 3-D Secure challenge page; with `withSecret`, the client secret rides in the
   * fragment as in `checkoutUrl` (never in stored events).
   */
  authenticateUrl(paymentId: string, withSecret: boolean): string;
  /**
   * The hosted receipt of a succeeded charge. Its token rides in the fragment, as the checkout's
   * client secret does: a receipt shows the amount, the merchant and the card, so the charge id
   * alone (which appears in events, logs and the merchant's dashboard) must not open it.
   */
  receiptUrl(chargeId: string): string;
  /** Constant-time check of a presented receipt token against the charge's. */
  isReceiptTokenOf(chargeId: string, presented: string): boolean;
}

export function createPaymentLinks(key: Secret, checkoutBaseUrl: string): PaymentLinks {
  const base = checkoutBaseUrl.replace(/\/+$/, '');
  const mac = (text: string) =>
    createHmac('sha256', key.reveal()).update(text).digest('base64url').slice(0, 32);
  const clientSecret = (paymentId: string) => `${paymentId}_secret_${mac(paymentId)}`;
  // Another message than a client secret's, so neither credential can stand in for the other.
  const receiptToken = (chargeId: string) => mac(`receipt:${chargeId}`);
  return {
    clientSecret,
    isClientSecretOf: (paymentId, presented) =>
      constantTimeEqual(clientSecret(paymentId), presented),
    checkoutUrl: (paymentId) => `${base}/pay/${paymentId}#${clientSecret(paymentId)}`,
    authenticateUrl: (paymentId, withSecret) =>
      `${base}/pay/${paymentId}/authenticate${withSecret ? `#${clientSecret(paymentId)}` : ''}`,
    receiptUrl: (chargeId) => `${base}/receipts/${chargeId}#${receiptToken(chargeId)}`,
    isReceiptTokenOf: (chargeId, presented) => constantTimeEqual(receiptToken(chargeId), presented),
  };
}

const timestamp = (date: Date) => unixSeconds(date);

export function toPaymentResource(row: PaymentRow, links: PaymentLinks): PaymentResource {
  return {
    ...paymentFields(row),
    next_action: nextAction(row, links.authenticateUrl(row.id, true)),
    client_secret: links.clientSecret(row.id),
    checkout_url: links.checkoutUrl(row.id),
  };
}

/** A payment waiting for 3-D Secure sends the payer to the hosted challenge page. */
function nextAction(row: PaymentRow, url: string) {
  return row.status === 'requires_action'
    ? { type: 'redirect_to_url' as const, redirect_to_url: { url } }
    : null;
}

/**
 * The payment as events carry it: the API object without `client_secret` and `checkout_url`,
 * because events are stored and relayed, and the client secret is never stored.
 */
export function toPaymentEventData(
  row: PaymentRow,
  links?: Pick<PaymentLinks, 'authenticateUrl'>,
): Record<string, unknown> {
  const url = links?.authenticateUrl(row.id, false) ?? `/pay/${row.id}/authenticate`;
  return { ...paymentFields(row), next_action: nextAction(row, url) };
}

function paymentFields(row: PaymentRow) {
  return {
    id: row.id,
    object: 'payment' as const,
    amount: row.amount,
    amount_refunded: row.amountRefunded,
    currency: row.currency,
    status: row.status,
    method: row.method,
    livemode: row.mode === 'live',
    description: row.description,
    metadata: row.metadata,
    customer_email: row.customerEmail,
    upi_uri: buildUpiUri(row),
    return_url: row.returnUrl,
    last_payment_error: row.lastPaymentError ?? null,
    capture_method: row.captureMethod,
    amount_capturable: row.amountCapturable,
    amount_received: row.amountReceived,
    latest_charge: row.latestChargeId,
    // Reusable instruments (instrument-resources.ts): whose it is, what saved it, where it came from.
    customer: row.customerId,
    payment_method: row.paymentMethodId,
    setup_future_usage: row.setupFutureUsage,
    payment_method_details: row.cardDetails
      ? {
          type: 'card' as const,
          card: {
            brand: row.cardDetails.brand,
            last4: row.cardDetails.last4,
            exp_month: row.cardDetails.exp_month,
            exp_year: row.cardDetails.exp_year,
          },
        }
      : null,
    qr_code: row.qrCodeId,
    payment_link: row.paymentLinkId,
    merchant: { id: row.merchantId, name: row.merchantName },
    expires_at: timestamp(row.expiresAt),
    created: timestamp(row.createdAt),
  };
}

export function toRefundResource(row: RefundRow): RefundResource {
  return {
    id: row.id,
    object: 'refund',
    payment: row.paymentId,
    charge: row.chargeId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    metadata: row.metadata,
    livemode: row.mode === 'live',
    created: timestamp(row.createdAt),
  };
}

/** Who owns a payment: the gateway lets a principal follow it only in the same project and mode. */
export function toPaymentOwnerResource(payment: PaymentRow) {
  return {
    id: payment.id,
    merchant_id: payment.merchantId,
    project_id: payment.projectId,
    mode: payment.mode,
  };
}
