import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  foreignKey,
  index,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { scopeConstraints, scopedColumns } from '@expe/server-kit';
import { checkoutSessionStatuses } from '@expe/contracts';
import { customers } from './instrument-schema.js';
import { payments } from './schema.js';

/**
 * Checkout Sessions (migration 0009): a cart paid on the hosted checkout page. Kept apart from
 * schema.ts, like the instruments, so the payment flows and the checkout grow without touching
 * one file.
 */
const paymentsSchema = pgSchema('payments');
const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

/** One line of the cart as it was given, with its computed amounts (the API's line item). */
export interface StoredLineItem {
  id: string;
  name: string;
  description: string | null;
  currency: string;
  unitAmount: number;
  quantity: number;
  amountSubtotal: number;
  amountTotal: number;
}

export const checkoutSessions = paymentsSchema.table(
  'checkout_sessions',
  {
    /** `cs_test_…` or `cs_live_…`: Stripe's form, the same on both ports. */
    id: text('id').primaryKey(),
    ...scopedColumns(),
    /** The payment the session opened; paying it completes the session. */
    paymentId: text('payment_id').notNull(),
    status: text('status', { enum: checkoutSessionStatuses }).notNull().default('open'),
    currency: text('currency').notNull(),
    amountSubtotal: money('amount_subtotal').notNull(),
    amountTotal: money('amount_total').notNull(),
    lineItems: jsonb('line_items').$type<StoredLineItem[]>().notNull(),
    clientReferenceId: text('client_reference_id'),
    customerId: text('customer_id'),
    customerEmail: text('customer_email'),
    /** As given, `{CHECKOUT_SESSION_ID}` already replaced by the id. */
    successUrl: text('success_url'),
    cancelUrl: text('cancel_url'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    expiresAt: timestampColumn('expires_at').notNull(),
    completedAt: timestampColumn('completed_at'),
    expiredAt: timestampColumn('expired_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...scopeConstraints('checkout_sessions', t),
    // A payment belongs to at most one session.
    uniqueIndex('checkout_sessions_payment_id_idx').on(t.paymentId),
    index('checkout_sessions_customer_idx')
      .on(t.customerId, t.id)
      .where(sql`customer_id is not null`),
    foreignKey({
      name: 'checkout_sessions_payment_id_fkey',
      columns: [t.paymentId],
      foreignColumns: [payments.id],
    }),
    foreignKey({
      name: 'checkout_sessions_customer_id_fkey',
      columns: [t.customerId],
      foreignColumns: [customers.id],
    }),
    check('checkout_sessions_id_of_mode', sql`${t.id} like 'cs_' || ${t.mode} || '_%'`),
    check('checkout_sessions_status', sql`${t.status} in ('open', 'complete', 'expired')`),
    check(
      'checkout_sessions_completed_when_complete',
      sql`(${t.status} = 'complete') = (${t.completedAt} is not null)`,
    ),
    check('checkout_sessions_currency', sql`${t.currency} ~ '^[a-z]{3}$'`),
    check(
      'checkout_sessions_amounts',
      sql`${t.amountSubtotal} >= 0 and ${t.amountTotal} = ${t.amountSubtotal}`,
    ),
    check(
      'checkout_sessions_line_items',
      sql`jsonb_typeof(${t.lineItems}) = 'array' and jsonb_array_length(${t.lineItems}) between 1 and 100`,
    ),
  ],
);
