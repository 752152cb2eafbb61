import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  jsonb,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { scopeConstraints, scopedColumns } from '@expe/server-kit';
import {
  chargeStatuses,
  paymentMethods,
  type ChargeOutcomeResource,
  type PaymentMethod,
} from '@expe/contracts';
import { payments, paymentsSchema } from './schema.js';

/**
 * Charges (issue 20, migration 0007, which is the source of truth for the constraints): one per
 * attempt to pay a payment, failed ones included, as Stripe records them.
 */
const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

export type ChargeStatus = (typeof chargeStatuses)[number];

/** What the attempt paid with, without the card number (Stripe's payment_method_details). */
export interface ChargePaymentMethodDetails {
  type: PaymentMethod;
  card?: {
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: 'credit';
    country: string;
    checks: {
      cvc_check: 'pass';
      address_line1_check: null;
      address_postal_code_check: null;
    };
  };
}

/** What the card network or bank said about the attempt (Stripe's outcome). */
export interface ChargeOutcome {
  network_status: ChargeOutcomeResource['network_status'];
  reason: string | null;
  risk_level: 'normal';
  seller_message: string;
  type: ChargeOutcomeResource['type'];
}

export const charges = paymentsSchema.table(
  'charges',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    ...scopedColumns(),
    amount: money('amount').notNull(),
    amountCaptured: money('amount_captured').notNull().default(0),
    /** Refunded, or released when an uncaptured authorization is canceled or expires. */
    amountRefunded: money('amount_refunded').notNull().default(0),
    currency: text('currency').notNull(),
    status: text('status', { enum: chargeStatuses }).notNull(),
    captured: boolean('captured').notNull().default(false),
    refunded: boolean('refunded').notNull().default(false),
    method: text('method', { enum: paymentMethods }).notNull(),
    paymentMethodDetails: jsonb('payment_method_details')
      .$type<ChargePaymentMethodDetails>()
      .notNull(),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    outcome: jsonb('outcome').$type<ChargeOutcome>(),
    /** The `payment` balance transaction, once the charge's money reached the merchant. */
    balanceTransactionId: text('balance_transaction_id'),
    customerId: text('customer_id'),
    paymentMethodId: text('payment_method_id'),
    description: text('description'),
    receiptEmail: text('receipt_email'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...scopeConstraints('charges', t),
    index('charges_payment_id_id_idx').on(t.paymentId, t.id),
    index('charges_customer_id_idx')
      .on(t.customerId)
      .where(sql`customer_id is not null`),
    foreignKey({
      name: 'charges_payment_id_fkey',
      columns: [t.paymentId],
      foreignColumns: [payments.id],
    }),
    check('charges_status', sql`${t.status} in ('pending', 'succeeded', 'failed')`),
    check('charges_method', sql`${t.method} in ('wallet', 'card', 'upi')`),
    check('charges_amount_positive', sql`${t.amount} > 0`),
    check(
      'charges_amount_captured_range',
      sql`${t.amountCaptured} >= 0 and ${t.amountCaptured} <= ${t.amount} and (${t.amountCaptured} > 0) = ${t.captured} and (not ${t.captured} or ${t.status} = 'succeeded')`,
    ),
    check(
      'charges_amount_refunded_range',
      sql`${t.amountRefunded} >= 0 and ${t.amountRefunded} <= ${t.amount} and (${t.amountRefunded} = 0 or ${t.status} = 'succeeded')`,
    ),
    check(
      'charges_failure_only_when_failed',
      sql`(${t.failureCode} is not null) = (${t.status} = 'failed')`,
    ),
  ],
);
