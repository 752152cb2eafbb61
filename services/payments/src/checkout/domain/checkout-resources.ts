import { unixSeconds, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import type {
  CheckoutLineItemResource,
  CheckoutSessionResource,
  PaymentLinkResource,
  QrCodeResource,
} from '@expe/contracts';
import type { StoredLineItem } from '../../db/checkout-schema.js';
import type { CheckoutSessionRow } from '../db/checkout-session-repository.js';
import type { PaymentLinkRow } from '../db/payment-link-repository.js';
import type { QrCodeRow } from '../db/qr-code-repository.js';
import { recordEvent } from '../../events/domain/events.js';
import type { PaymentLinks } from '../../payments/domain/resources.js';
import { formatMajorUnits, merchantVpa } from '../../payments/domain/upi-uri.js';

const timestamp = (date: Date) => unixSeconds(date);

/**
 * A session as the API shows it. `url` is the hosted checkout page of its payment while the
 * session is open (it holds the payment's client secret in the fragment), so only an answer to
 * the merchant passes `links`; events never carry it (a complete or expired session has none).
 */
export function toCheckoutSessionResource(
  row: CheckoutSessionRow,
  links?: PaymentLinks,
): CheckoutSessionResource {
  const isPaid = row.status === 'complete';
  return {
    id: row.id,
    object: 'checkout.session',
    mode: 'payment',
    status: row.status,
    payment_status: isPaid ? 'paid' : 'unpaid',
    amount_subtotal: row.amountSubtotal,
    amount_total: row.amountTotal,
    currency: row.currency,
    client_reference_id: row.clientReferenceId,
    customer: row.customerId,
    customer_email: row.customerEmail,
    success_url: row.successUrl,
    cancel_url: row.cancelUrl,
    metadata: row.metadata,
    payment_intent: row.paymentId,
    url: row.status === 'open' && links ? checkoutPageOf(row, links) : null,
    expires_at: unixSeconds(row.expiresAt),
    completed_at: row.completedAt ? unixSeconds(row.completedAt) : null,
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}

/**
 * The hosted checkout page of the session's payment, naming the session so the page shows its
 * line items and returns the shopper to its success_url once paid.
 */
function checkoutPageOf(row: CheckoutSessionRow, links: PaymentLinks): string {
  const [page, secret] = links.checkoutUrl(row.paymentId).split('#');
  return `${page}?checkout_session=${row.id}#${secret}`;
}

export function toCheckoutLineItemResource(item: StoredLineItem): CheckoutLineItemResource {
  return {
    id: item.id,
    object: 'item',
    description: item.name,
    currency: item.currency,
    quantity: item.quantity,
    price_data: {
      currency: item.currency,
      unit_amount: item.unitAmount,
      product_data: { name: item.name, description: item.description },
    },
    amount_subtotal: item.amountSubtotal,
    amount_total: item.amountTotal,
  };
}

/**
 * One page of a session's line items, in the order they were given (as Stripe lists them). The
 * cursors are line item ids of this session; one that is not is answered as an empty page.
 */
export function pageOfLineItems(items: StoredLineItem[], page: PageRequest): Page<StoredLineItem> {
  if (page.endingBefore) {
    const end = items.findIndex((item) => item.id === page.endingBefore);
    const start = Math.max(0, end - page.limit);
    return { rows: end < 0 ? [] : items.slice(start, end), hasMore: start > 0 };
  }
  const start = page.startingAfter
    ? items.findIndex((item) => item.id === page.startingAfter) + 1
    : 0;
  if (page.startingAfter && start === 0) return { rows: [], hasMore: false };
  const rows = items.slice(start, start + page.limit);
  return { rows, hasMore: start + page.limit < items.length };
}

/** `checkout.session.completed` or `.expired`, in the transaction of the change. */
export async function recordCheckoutSessionEvent(
  tx: Executor,
  type: 'checkout.session.completed' | 'checkout.session.expired',
  session: CheckoutSessionRow,
  now: Date,
): Promise<void> {
  await recordEvent(tx, {
    type,
    mode: session.mode,
    merchantId: session.merchantId,
    projectId: session.projectId,
    userIds: [],
    objectId: session.id,
    paymentId: session.paymentId,
    data: toCheckoutSessionResource(session),
    createdAt: now,
  });
}

/**
 * The UPI deep link printed in a QR code: the merchant's VPA, `tr` = the QR code's id (so the
 * sandbox bank knows which QR was paid) and `am` only for a fixed amount; otherwise the payer
 * types the amount in their UPI app.
 */
export function buildQrUpiUri(qr: {
  id: string;
  merchantId: string;
  merchantName: string;
  amount: number | null;
  description: string;
}): string {
  const params = new URLSearchParams({
    pa: merchantVpa(qr.merchantId),
    pn: qr.merchantName,
    tr: qr.id,
    tn: qr.description,
    cu: 'INR',
  });
  if (qr.amount !== null) params.set('am', formatMajorUnits(qr.amount, 'inr'));
  return `upi://pay?${params.toString().replaceAll('+', '%20')}`;
}

/** Public URLs of the instruments: the API origin serves QR images and the link checkout page. */
export interface InstrumentUrls {
  qrImage(id: string): string;
  paymentLink(id: string): string;
}

export function createInstrumentUrls(publicBaseUrl: string): InstrumentUrls {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    qrImage: (id) => `${base}/v1/qr_codes/${id}/image`,
    paymentLink: (id) => `${base}/pay/link/${id}`,
  };
}

export function toQrCodeResource(row: QrCodeRow): QrCodeResource {
  return {
    id: row.id,
    object: 'qr_code',
    usage: row.usage,
    fixed_amount: row.fixedAmount,
    amount: row.amount,
    currency: 'inr',
    description: row.description,
    metadata: row.metadata,
    status: row.status,
    close_by: row.closeBy ? timestamp(row.closeBy) : null,
    close_reason: row.closeReason,
    closed_at: row.closedAt ? timestamp(row.closedAt) : null,
    image_url: row.imageUrl,
    upi_uri: buildQrUpiUri(row),
    payments_count: row.paymentsCount,
    payments_amount_received: row.paymentsAmountReceived,
    livemode: row.mode === 'live',
    created: timestamp(row.createdAt),
  };
}

export function toPaymentLinkResource(row: PaymentLinkRow): PaymentLinkResource {
  return {
    id: row.id,
    object: 'payment_link',
    url: row.url,
    amount: row.amount,
    currency: row.currency,
    description: row.description,
    metadata: row.metadata,
    reusable: row.reusable,
    active: row.active,
    payments_count: row.paymentsCount,
    livemode: row.mode === 'live',
    created: timestamp(row.createdAt),
  };
}
