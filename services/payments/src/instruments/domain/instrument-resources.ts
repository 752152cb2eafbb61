import { unixSeconds } from '@expe/server-kit';
import type {
  ShippingInput,
  CustomerResource,
  PaymentMethodResource,
  cardBrands,
} from '@expe/contracts';
import type { CustomerRow, PaymentMethodRow } from '../db/customer-repository.js';
import type { CustomerShipping } from '../../db/instrument-schema.js';

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
