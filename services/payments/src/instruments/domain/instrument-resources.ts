import { unixSeconds, type Executor } from '@expe/server-kit';
import type {
  ShippingInput,
  CustomerResource,
  PaymentLinkResource,
  PaymentMethodResource,
  QrCodeResource,
  cardBrands,
} from '@expe/contracts';
import type { CustomerRow, PaymentMethodRow } from '../db/customer-repository.js';
import type { CustomerShipping } from '../../db/instrument-schema.js';
import type { PaymentLinkRow } from '../../checkout/db/payment-link-repository.js';
import type { QrCodeRow } from '../../checkout/db/qr-code-repository.js';
import { recordEvent, type EventType } from '../../events/domain/events.js';
import { formatMajorUnits, merchantVpa } from '../../payments/domain/upi-uri.js';

const timestamp = (date: Date) => unixSeconds(date);

/** A shipping address as it is kept and shown: every absent part null. */
export function storedShipping(input: ShippingInput): CustomerShipping {
  const { address } = input;
  return {
    name: input.name,
    phone: input.phone ?? null,
    address: {
      line1: address.line1,
      line2: address.line2 ?? null,
      city: address.city ?? null,
      state: address.state ?? null,
      postal_code: address.postal_code ?? null,
      country: address.country ?? null,
    },
  };
}

export function toCustomerResource(row: CustomerRow): CustomerResource {
  return {
    id: row.id,
    object: 'customer',
    email: row.email,
    name: row.name,
    description: row.description,
    phone: row.phone,
    shipping: row.shipping ?? null,
    metadata: row.metadata,
    livemode: row.mode === 'live',
    created: timestamp(row.createdAt),
  };
}

export function toPaymentMethodResource(row: PaymentMethodRow): PaymentMethodResource {
  return {
    id: row.id,
    object: 'payment_method',
    type: 'card',
    billing_details: row.billingDetails,
    card: {
      brand: row.cardBrand as (typeof cardBrands)[number],
      last4: row.cardLast4,
      exp_month: row.cardExpMonth,
      exp_year: row.cardExpYear,
      funding: row.cardFunding,
      country: row.cardCountry,
      fingerprint: row.cardFingerprint,
    },
    customer: row.customerId,
    metadata: row.metadata,
    livemode: row.mode === 'live',
    created: timestamp(row.createdAt),
  };
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

type InstrumentEventType = Extract<
  EventType,
  | `customer.${string}`
  | `payment_method.${string}`
  | `qr_code.${string}`
  | `payment_link.${string}`
  | `setup_intent.${string}`
>;

/** Records a merchant event about an instrument, in the transaction of its change. */
export async function recordInstrumentEvent(
  tx: Executor,
  type: InstrumentEventType,
  object: { id: string; merchantId: string; projectId: string; mode: 'test' | 'live' },
  data: object,
  now: Date,
  paymentId: string | null = null,
): Promise<void> {
  await recordEvent(tx, {
    type,
    livemode: object.mode === 'live',
    merchantId: object.merchantId,
    projectId: object.projectId,
    userIds: [],
    objectId: object.id,
    paymentId,
    data: data as Record<string, unknown>,
    createdAt: now,
  });
}
