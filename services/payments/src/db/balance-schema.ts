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
  unique,
} from 'drizzle-orm/pg-core';
import { scopeConstraints, scopedColumns } from '@expe/server-kit';
import {
  balanceTransactionStatuses,
  balanceTransactionTypes,
  disputeStatuses,
  payoutStatuses,
  type DisputeEvidenceTextField,
} from '@expe/contracts';
import { ledgerTransactions, payments, paymentsSchema } from './schema.js';

/**
 * Where a merchant's money goes (issue 13, migration 0004, which is the source of truth for the
 * constraints): balance transactions, payouts, disputes and the per-project fee setting.
 */
const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => bigint(name, { mode: 'number' });

export type BalanceTransactionType = (typeof balanceTransactionTypes)[number];
export type BalanceTransactionStatus = (typeof balanceTransactionStatuses)[number];

/** One change of a merchant balance, written in the transaction of its ledger movement. */
export const balanceTransactions = paymentsSchema.table(
  'balance_transactions',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    type: text('type', { enum: balanceTransactionTypes }).notNull(),
    amount: money('amount').notNull(),
    fee: money('fee').notNull(),
    net: money('net').notNull(),
    currency: text('currency').notNull(),
    /** The object that moved the money: pay_, re_, dp_ or po_. */
    source: text('source').notNull(),
    /** The payment whose money this is (NULL for payouts); its rows become available together. */
    paymentId: text('payment_id'),
    /** The Charge whose money a `payment` row is (NULL for the other types). */
    chargeId: text('charge_id'),
    ledgerTransactionId: text('ledger_transaction_id').notNull(),
    status: text('status', { enum: balanceTransactionStatuses }).notNull(),
    availableOn: timestampColumn('available_on').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'balance_transactions_ledger_transaction_id_fkey',
      columns: [t.ledgerTransactionId],
      foreignColumns: [ledgerTransactions.id],
    }),
    unique('balance_transactions_ledger_unique').on(t.ledgerTransactionId),
    ...scopeConstraints('balance_transactions', t),
    index('balance_transactions_due_idx')
      .on(t.availableOn)
      .where(sql`status = 'pending'`),
    index('balance_transactions_payment_idx').on(t.paymentId),
    check(
      'balance_transactions_type',
      sql`${t.type} in ('payment', 'refund', 'dispute', 'payout', 'payout_failure', 'payout_cancel', 'adjustment')`,
    ),
    check('balance_transactions_status', sql`${t.status} in ('pending', 'available')`),
    check('balance_transactions_net', sql`${t.net} = ${t.amount} - ${t.fee}`),
  ],
);

/** `pending` until its arrival_date by the project's clock (domain/settle-payouts.ts). */
export type PayoutStatus = (typeof payoutStatuses)[number];

export const payouts = paymentsSchema.table(
  'payouts',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: payoutStatuses }).notNull(),
    destinationVpa: text('destination_vpa').notNull(),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    arrivalDate: timestampColumn('arrival_date').notNull(),
    /** A reversal (migration 0012): the paid payout whose money it brings back. */
    originalPayoutId: text('original_payout_id'),
    /** The reversal of this paid payout, once reversed. */
    reversedById: text('reversed_by_id'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'payouts_original_payout_id_fkey',
      columns: [t.originalPayoutId],
      foreignColumns: [t.id],
    }),
    foreignKey({
      name: 'payouts_reversed_by_id_fkey',
      columns: [t.reversedById],
      foreignColumns: [t.id],
    }),
    unique('payouts_original_unique').on(t.originalPayoutId),
    ...scopeConstraints('payouts', t),
    index('payouts_due_idx')
      .on(t.arrivalDate)
      .where(sql`status = 'pending'`),
    check('payouts_amount_positive', sql`${t.amount} > 0`),
    check('payouts_status', sql`${t.status} in ('pending', 'paid', 'failed', 'canceled')`),
    check('payouts_failure', sql`(${t.status} = 'failed') = (${t.failureCode} is not null)`),
    check(
      'payouts_reversed_paid',
      sql`${t.reversedById} is null or (${t.status} = 'paid' and ${t.originalPayoutId} is null)`,
    ),
  ],
);

export type DisputeStatus = (typeof disputeStatuses)[number];

/** The text evidence given so far, by Stripe's field names (contracts' disputeEvidenceTextFields). */
export type DisputeEvidence = Partial<Record<DisputeEvidenceTextField, string>>;

export const disputes = paymentsSchema.table(
  'disputes',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    ...scopedColumns(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: disputeStatuses }).notNull(),
    reason: text('reason').notNull(),
    /** The Charge disputed. */
    chargeId: text('charge_id'),
    evidence: jsonb('evidence').$type<DisputeEvidence>().notNull().default({}),
    evidenceDueBy: timestampColumn('evidence_due_by').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    closedAt: timestampColumn('closed_at'),
  },
  (t) => [
    foreignKey({
      name: 'disputes_payment_id_fkey',
      columns: [t.paymentId],
      foreignColumns: [payments.id],
    }),
    // Sandbox disputes: one per payment.
    unique('disputes_payment_unique').on(t.paymentId),
    ...scopeConstraints('disputes', t),
    index('disputes_due_idx')
      .on(t.evidenceDueBy)
      .where(sql`status = 'needs_response'`),
    check('disputes_amount_positive', sql`${t.amount} > 0`),
    check('disputes_status', sql`${t.status} in ('needs_response', 'won', 'lost')`),
    check('disputes_closed', sql`(${t.status} = 'needs_response') = (${t.closedAt} is null)`),
  ],
);

/** Per project (issue 19): each project turns its sandbox fees on or off. */
export const balanceSettings = paymentsSchema.table('balance_settings', {
  projectId: text('project_id').primaryKey(),
  merchantId: text('merchant_id').notNull(),
  feesEnabled: boolean('fees_enabled').notNull().default(true),
  updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
});
