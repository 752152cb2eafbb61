import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { scopeConstraints, scopedColumns } from '@expe/server-kit';
import {
  cardFundings,
  qrCodeCloseReasons,
  qrCodeStatuses,
  qrCodeUsages,
  setupIntentStatuses,
  setupIntentUsages,
  type SetupErrorResource,
} from '@expe/contracts';

/**
 * Reusable payment instruments (migration 0005): customers and their saved cards, QR
 * codes that many UPI payments may pay, and payment links to the hosted checkout. Kept apart from
 * schema.ts so the payment flows and these instruments grow without touching one file.
 */
const paymentsSchema = pgSchema('payments');
const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * What a payment or a saved card keeps of a card: never its number. `token` names the sandbox
 * card (`tok_visa`, `tok_chargeCustomerFail`, …) so a later charge knows what the network says.
 */
export interface CardDetails {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  token: string;
}

export interface BillingAddress {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

/** Who pays with a PaymentMethod, as Stripe's `billing_details`. */
export interface BillingDetails {
  address: BillingAddress | null;
  email: string | null;
  name: string | null;
  phone: string | null;
}

export const noBillingDetails: BillingDetails = {
  address: null,
  email: null,
  name: null,
  phone: null,
};

/** A customer's shipping address, stored as its resource shows it (absent parts null). */
export interface CustomerShipping {
  name: string;
  phone: string | null;
  address: {
    line1: string;
    line2: string | null;
    city: string | null;
    state: string | null;
    postal_code: string | null;
    country: string | null;
  };
}

export const customers = paymentsSchema.table(
  'customers',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    email: text('email'),
    name: text('name'),
    description: text('description'),
    phone: text('phone'),
    /** Where the customer's orders go, as Stripe's `shipping`; null when none is kept. */
    shipping: jsonb('shipping').$type<CustomerShipping>(),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    /** Deleted customers are kept for the payments that name them, and read as missing. */
    deletedAt: timestampColumn('deleted_at'),
  },
  (t) => [
    index('customers_project_mode_id_idx')
      .on(t.projectId, t.mode, t.id)
      .where(sql`deleted_at is null`),
    check('customers_mode', sql`${t.mode} in ('test', 'live')`),
  ],
);

export const paymentMethods = paymentsSchema.table(
  'payment_methods',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    /** NULL once detached: a detached card can no longer be charged. */
    customerId: text('customer_id'),
    type: text('type', { enum: ['card'] }).notNull(),
    cardBrand: text('card_brand').notNull(),
    cardLast4: text('card_last4').notNull(),
    cardExpMonth: integer('card_exp_month').notNull(),
    cardExpYear: integer('card_exp_year').notNull(),
    cardToken: text('card_token').notNull(),
    /** credit, debit, prepaid or unknown, as the card network says (migration 0008). */
    cardFunding: text('card_funding', { enum: cardFundings }).notNull().default('credit'),
    cardCountry: text('card_country').notNull().default('US'),
    /** The same card in one project has the same fingerprint (saved-cards.ts computes it). */
    cardFingerprint: text('card_fingerprint').notNull(),
    billingDetails: jsonb('billing_details')
      .$type<BillingDetails>()
      .notNull()
      .default(noBillingDetails),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    /** Set once it is detached: a detached PaymentMethod cannot be attached again (Stripe's rule). */
    detachedAt: timestampColumn('detached_at'),
  },
  (t) => [
    index('payment_methods_customer_id_idx').on(t.customerId, t.id),
    ...scopeConstraints('payment_methods', t),
    index('payment_methods_project_mode_customer_idx').on(t.projectId, t.mode, t.customerId, t.id),
    foreignKey({
      name: 'payment_methods_customer_id_fkey',
      columns: [t.customerId],
      foreignColumns: [customers.id],
    }),
    check('payment_methods_type', sql`${t.type} = 'card'`),
    check('payment_methods_last4', sql`${t.cardLast4} ~ '^[0-9]{4}$'`),
    check('payment_methods_exp_month', sql`${t.cardExpMonth} between 1 and 12`),
    check(
      'payment_methods_funding',
      sql`${t.cardFunding} in ('credit', 'debit', 'prepaid', 'unknown')`,
    ),
    check(
      'payment_methods_detached_has_no_customer',
      sql`${t.detachedAt} is null or ${t.customerId} is null`,
    ),
  ],
);

export type SetupIntentStatus = (typeof setupIntentStatuses)[number];

/** What went wrong with a setup's last attempt (a declined card, a failed 3-D Secure), as the API shows it. */
export type SetupError = SetupErrorResource;

/**
 * SetupIntents (migration 0008): saving a card on a customer without a payment. Success attaches
 * the PaymentMethod to the customer; a 3-D Secure card is challenged first.
 */
export const setupIntents = paymentsSchema.table(
  'setup_intents',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    status: text('status', { enum: setupIntentStatuses }).notNull(),
    usage: text('usage', { enum: setupIntentUsages }).notNull(),
    customerId: text('customer_id'),
    paymentMethodId: text('payment_method_id'),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    lastSetupError: jsonb('last_setup_error').$type<SetupError>(),
    cancellationReason: text('cancellation_reason'),
    /** Where the 3-D Secure challenge sends the cardholder back (migration 0012). */
    returnUrl: text('return_url'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...scopeConstraints('setup_intents', t),
    foreignKey({
      name: 'setup_intents_customer_id_fkey',
      columns: [t.customerId],
      foreignColumns: [customers.id],
    }),
    foreignKey({
      name: 'setup_intents_payment_method_id_fkey',
      columns: [t.paymentMethodId],
      foreignColumns: [paymentMethods.id],
    }),
    check(
      'setup_intents_status',
      sql`${t.status} in ('requires_payment_method', 'requires_confirmation', 'requires_action', 'processing', 'succeeded', 'canceled')`,
    ),
    check('setup_intents_usage', sql`${t.usage} in ('on_session', 'off_session')`),
    check(
      'setup_intents_succeeded_has_payment_method',
      sql`${t.status} <> 'succeeded' or ${t.paymentMethodId} is not null`,
    ),
  ],
);

export const qrCodes = paymentsSchema.table(
  'qr_codes',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    merchantName: text('merchant_name').notNull(),
    usage: text('usage', { enum: qrCodeUsages }).notNull(),
    fixedAmount: boolean('fixed_amount').notNull(),
    amount: money('amount'),
    currency: text('currency').notNull().default('inr'),
    description: text('description').notNull(),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    /** Absolute URL of the PNG, fixed at creation like the printed code itself. */
    imageUrl: text('image_url').notNull(),
    status: text('status', { enum: qrCodeStatuses }).notNull(),
    closeBy: timestampColumn('close_by'),
    closeReason: text('close_reason', { enum: qrCodeCloseReasons }),
    closedAt: timestampColumn('closed_at'),
    paymentsCount: integer('payments_count').notNull().default(0),
    paymentsAmountReceived: money('payments_amount_received').notNull().default(0),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...scopeConstraints('qr_codes', t),
    index('qr_codes_close_by_idx')
      .on(t.closeBy)
      .where(sql`status = 'active' and close_by is not null`),
    check('qr_codes_usage', sql`${t.usage} in ('single_use', 'multiple_use')`),
    check('qr_codes_status', sql`${t.status} in ('active', 'closed')`),
    check('qr_codes_fixed_amount', sql`${t.fixedAmount} = (${t.amount} is not null)`),
    check('qr_codes_amount_positive', sql`${t.amount} is null or ${t.amount} > 0`),
    check('qr_codes_closed', sql`(${t.status} = 'closed') = (${t.closedAt} is not null)`),
    check('qr_codes_totals', sql`${t.paymentsCount} >= 0 and ${t.paymentsAmountReceived} >= 0`),
  ],
);

export const paymentLinks = paymentsSchema.table(
  'payment_links',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    merchantName: text('merchant_name').notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull(),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    /** The public checkout URL, fixed at creation (it is shared with payers). */
    url: text('url').notNull(),
    reusable: boolean('reusable').notNull(),
    active: boolean('active').notNull().default(true),
    paymentsCount: integer('payments_count').notNull().default(0),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...scopeConstraints('payment_links', t),
    check('payment_links_amount_positive', sql`${t.amount} > 0`),
    check('payment_links_currency', sql`${t.currency} ~ '^[a-z]{3}$'`),
  ],
);
