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
  unique,
} from 'drizzle-orm/pg-core';
import {
  captureMethods,
  modes,
  paymentMethods,
  paymentStatuses,
  refundReasons,
  refundStatuses,
  setupFutureUsages,
  type CaptureMethod,
  type Mode,
  type PaymentErrorResource,
  type PaymentMethod,
  type PaymentStatus,
} from '@expe/contracts';
import { idempotencyKeysTable, scopeConstraints, scopedColumns } from '@expe/server-kit';
import { outboxTable } from '@expe/server-kit';
import {
  customers,
  paymentLinks,
  paymentMethods as savedPaymentMethods,
  qrCodes,
  type CardDetails,
} from './instrument-schema.js';

/**
 * The `payments` schema as migrations/ creates it: tables, columns, defaults, checks, indexes
 * and foreign keys are declared in the `*schema.ts` files of this folder exactly as the SQL
 * makes them, and test/schema-drift.test.ts compares the two. Functions and triggers (the
 * ledger's balance triggers, `post_ledger_transaction`, the wallet transfer) exist only in the
 * SQL migrations: drizzle cannot declare them. Change a table here, then add its migration
 * (CONTRIBUTING.md, "Change a database schema").
 */
export const paymentsSchema = pgSchema('payments');

const timestampColumn = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** Minor units. JS numbers are exact up to 2^53, which the code checks before writing. */
const money = (name: string) => bigint(name, { mode: 'number' });

/**
 * `hold`: the money of one manual-capture payment between authorization and capture.
 * `merchant` is a project's available balance; `merchant_pending` holds its payments until they
 * become available (issue 13, migration 0004). Both are owned by a project (issue 19, migration
 * 0006): each project of a merchant has its own balances, fees and payouts.
 */
export const accountTypes = ['wallet', 'merchant', 'merchant_pending', 'system', 'hold'] as const;
export type AccountType = (typeof accountTypes)[number];
// Every set of values a column takes that the API also shows (modes, statuses, methods…) is the
// contract's const array (@expe/contracts), declared once, so the two cannot drift.
export type { Mode };

/**
 * Ledger accounts: a wallet per user and currency, a balance per project, mode and currency,
 * and system accounts such as the sandbox funding source. `balance` caches the sum of the
 * account's entries; it is updated in the same transaction that inserts them.
 */
export const accounts = paymentsSchema.table(
  'accounts',
  {
    id: text('id').primaryKey(),
    type: text('type', { enum: accountTypes }).notNull(),
    /**
     * A user id (wallet), a PROJECT id (`merchant` and `merchant_pending`: the balances of one
     * project and mode, `<project>~reset~<n>` once archived by a test-data reset), a payment id
     * (`hold`) or a system code such as `sandbox_funding`.
     */
    ownerId: text('owner_id').notNull(),
    /** test or live for merchant balances; NULL for wallets and system accounts. */
    mode: text('mode', { enum: modes }),
    currency: text('currency').notNull(),
    balance: money('balance').notNull().default(0),
    allowsNegative: boolean('allows_negative').notNull().default(false),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    unique('accounts_owner_unique').on(t.type, t.ownerId, t.mode, t.currency).nullsNotDistinct(),
    check(
      'accounts_type',
      sql`${t.type} in ('wallet', 'merchant', 'merchant_pending', 'hold', 'system')`,
    ),
    check(
      'accounts_mode',
      sql`(${t.type} in ('merchant', 'merchant_pending')) = (${t.mode} is not null)`,
    ),
    check('accounts_mode_value', sql`${t.mode} is null or ${t.mode} in ('test', 'live')`),
    check('accounts_currency', sql`${t.currency} ~ '^[a-z]{3}$'`),
    check('accounts_only_system_negative', sql`${t.type} = 'system' or not ${t.allowsNegative}`),
    check('accounts_balance_not_negative', sql`${t.allowsNegative} or ${t.balance} >= 0`),
  ],
);

/**
 * `authorization` moves a manual-capture payment's money onto its hold account, `payment` is the
 * capture (or an automatic payment), `release` gives back what was held and not captured.
 */
export const ledgerKinds = [
  'topup',
  'transfer',
  'payment',
  'refund',
  'authorization',
  'release',
  // Migration 0004: pending → available, disputes (and a won dispute's re-credit), payouts.
  'availability',
  'dispute',
  'dispute_reversal',
  'payout',
  'payout_failure',
  // Migration 0012: a pending payout canceled, a paid one reversed.
  'payout_cancel',
  'payout_reversal',
] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

/** One money movement. `reference` is the business object (pay_, re_, txn_, top_) it belongs to. */
export const ledgerTransactions = paymentsSchema.table(
  'ledger_transactions',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ledgerKinds }).notNull(),
    reference: text('reference').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    // A business object moves money once: in particular a payment is captured at most once.
    unique('ledger_transactions_kind_reference_unique').on(t.kind, t.reference),
    check(
      'ledger_transactions_kind',
      sql`${t.kind} in ('topup', 'transfer', 'payment', 'refund', 'authorization', 'release', 'availability', 'dispute', 'dispute_reversal', 'payout', 'payout_failure', 'payout_cancel', 'payout_reversal')`,
    ),
  ],
);

/**
 * The entries of a movement; per transaction and currency they sum to zero (a deferred
 * constraint trigger in the migrations checks it at commit). Append-only.
 */
export const ledgerEntries = paymentsSchema.table(
  'ledger_entries',
  {
    id: text('id').primaryKey(),
    transactionId: text('transaction_id')
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
  },
  (t) => [
    index('ledger_entries_transaction_id_idx').on(t.transactionId),
    index('ledger_entries_account_id_id_idx').on(t.accountId, t.id),
    check('ledger_entries_amount_not_zero', sql`${t.amount} <> 0`),
  ],
);

export type PaymentStatusValue = PaymentStatus;
export type CaptureMethodValue = CaptureMethod;
export type PaymentMethodValue = PaymentMethod;

/** A payment's last error, stored as the API shows it (`last_payment_error`). */
export type StoredPaymentError = PaymentErrorResource;

export const payments = paymentsSchema.table(
  'payments',
  {
    id: text('id').primaryKey(),
    ...scopedColumns(),
    /** The merchant's name when the payment was created: the UPI link and QR must not change. */
    merchantName: text('merchant_name').notNull(),
    amount: money('amount').notNull(),
    amountRefunded: money('amount_refunded').notNull().default(0),
    /** What is held and may still be captured (status requires_capture), else 0. */
    amountCapturable: money('amount_capturable').notNull().default(0),
    /** What reached the merchant: the amount, or the captured part of a manual payment. */
    amountReceived: money('amount_received').notNull().default(0),
    currency: text('currency').notNull(),
    status: text('status', { enum: paymentStatuses }).notNull(),
    captureMethod: text('capture_method', { enum: captureMethods }).notNull().default('automatic'),
    /** The method of the latest attempt; for a succeeded payment, the one that paid. */
    method: text('method', { enum: paymentMethods }),
    description: text('description'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    customerEmail: text('customer_email'),
    returnUrl: text('return_url'),
    lastPaymentError: jsonb('last_payment_error').$type<StoredPaymentError>(),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    /** Reusable instruments (migration 0005): see instrument-schema.ts. */
    customerId: text('customer_id'),
    paymentMethodId: text('payment_method_id'),
    setupFutureUsage: text('setup_future_usage', { enum: setupFutureUsages }),
    offSession: boolean('off_session').notNull().default(false),
    /** The card of the latest card attempt, without its number (brand, last4, expiry, token). */
    cardDetails: jsonb('card_details').$type<CardDetails>(),
    qrCodeId: text('qr_code_id'),
    paymentLinkId: text('payment_link_id'),
    /** The Charge of the latest attempt (charge-schema.ts); NULL before any attempt. */
    latestChargeId: text('latest_charge_id'),
    /** The wallet owner who paid (method wallet): refunds go back to this wallet. */
    payerUserId: text('payer_user_id'),
    /** When a processing (UPI pending) payment is due to complete. */
    processingDueAt: timestampColumn('processing_due_at'),
    expiresAt: timestampColumn('expires_at').notNull(),
    /** An authorization not captured by then (project clock) is canceled and released. */
    authorizationExpiresAt: timestampColumn('authorization_expires_at'),
    succeededAt: timestampColumn('succeeded_at'),
    canceledAt: timestampColumn('canceled_at'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...scopeConstraints('payments', t),
    index('payments_processing_due_idx')
      .on(t.processingDueAt)
      .where(sql`status = 'processing'`),
    index('payments_expiry_idx')
      .on(t.expiresAt)
      .where(sql`status = 'requires_payment_method'`),
    index('payments_action_expiry_idx')
      .on(t.expiresAt)
      .where(sql`status = 'requires_action'`),
    index('payments_customer_id_idx')
      .on(t.customerId)
      .where(sql`customer_id is not null`),
    index('payments_qr_code_id_idx')
      .on(t.qrCodeId, t.id)
      .where(sql`qr_code_id is not null`),
    index('payments_payment_link_id_idx')
      .on(t.paymentLinkId, t.id)
      .where(sql`payment_link_id is not null`),
    index('payments_authorization_expiry_idx')
      .on(t.authorizationExpiresAt)
      .where(sql`status = 'requires_capture'`),
    check('payments_amount_positive', sql`${t.amount} > 0`),
    check(
      'payments_amount_refunded_range',
      sql`${t.amountRefunded} >= 0 and ${t.amountRefunded} <= ${t.amount}`,
    ),
    check(
      'payments_status',
      sql`${t.status} in ('requires_payment_method', 'requires_action', 'processing', 'requires_capture', 'succeeded', 'canceled', 'expired')`,
    ),
    check('payments_capture_method', sql`${t.captureMethod} in ('automatic', 'manual')`),
    check(
      'payments_amount_capturable_range',
      sql`${t.amountCapturable} >= 0 and ${t.amountCapturable} <= ${t.amount} and (${t.amountCapturable} = 0 or ${t.status} = 'requires_capture')`,
    ),
    check(
      'payments_amount_received_range',
      sql`${t.amountReceived} >= 0 and ${t.amountReceived} <= ${t.amount} and ${t.amountRefunded} <= ${t.amountReceived}`,
    ),
    check('payments_method', sql`${t.method} is null or ${t.method} in ('wallet', 'card', 'upi')`),
    check('payments_currency', sql`${t.currency} ~ '^[a-z]{3}$'`),
    check(
      'payments_refund_needs_success',
      sql`${t.amountRefunded} = 0 or ${t.status} = 'succeeded'`,
    ),
    check('payments_failed_attempts', sql`${t.failedAttempts} >= 0`),
    check(
      'payments_setup_future_usage',
      sql`${t.setupFutureUsage} is null or ${t.setupFutureUsage} in ('on_session', 'off_session')`,
    ),
    foreignKey({
      name: 'payments_customer_id_fkey',
      columns: [t.customerId],
      foreignColumns: [customers.id],
    }),
    foreignKey({
      name: 'payments_payment_method_id_fkey',
      columns: [t.paymentMethodId],
      foreignColumns: [savedPaymentMethods.id],
    }),
    foreignKey({
      name: 'payments_qr_code_id_fkey',
      columns: [t.qrCodeId],
      foreignColumns: [qrCodes.id],
    }),
    foreignKey({
      name: 'payments_payment_link_id_fkey',
      columns: [t.paymentLinkId],
      foreignColumns: [paymentLinks.id],
    }),
  ],
);

export const refunds = paymentsSchema.table(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id')
      .notNull()
      .references(() => payments.id),
    ...scopedColumns(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: refundStatuses }).notNull(),
    reason: text('reason', { enum: refundReasons }),
    /** The Charge refunded: the payment's succeeded one (NULL only for refunds before charges). */
    chargeId: text('charge_id'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('refunds_project_mode_id_idx').on(t.projectId, t.mode, t.id),
    index('refunds_payment_id_idx').on(t.paymentId),
    check('refunds_amount_positive', sql`${t.amount} > 0`),
  ],
);

/** A P2P wallet transfer; names and VPAs are kept as they were, like a bank statement. */
export const transfers = paymentsSchema.table(
  'transfers',
  {
    id: text('id').primaryKey(),
    fromUserId: text('from_user_id').notNull(),
    fromVpa: text('from_vpa').notNull(),
    fromName: text('from_name').notNull(),
    toUserId: text('to_user_id').notNull(),
    toVpa: text('to_vpa').notNull(),
    toName: text('to_name').notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    note: text('note'),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    check('transfers_amount_positive', sql`${t.amount} > 0`),
    check('transfers_not_to_self', sql`${t.fromUserId} <> ${t.toUserId}`),
  ],
);

export const topups = paymentsSchema.table(
  'topups',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    amount: money('amount').notNull(),
    currency: text('currency').notNull(),
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('topups_user_id_created_at_idx').on(t.userId, t.createdAt),
    check('topups_amount_positive', sql`${t.amount} > 0`),
  ],
);

/**
 * The outbox: every state change writes its event in the same transaction, and the kit's relay
 * (`startOutboxRelay`) moves the rows whose `relayed_at` is NULL. Its shape is the kit's
 * (`outboxTable`: id, type, mode, merchant_id, project_id, data, traceparent, created_at,
 * relayed_at; migration 0013 turned `livemode` into `mode`), plus what the event log and the
 * WebSocket need. It is also the event log (`GET /v1/events`).
 */
export const events = outboxTable(
  paymentsSchema,
  'events',
  {
    /** Wallet owners the event concerns (payer, transfer parties). */
    userIds: text('user_ids')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    objectId: text('object_id').notNull(),
    paymentId: text('payment_id'),
  },
  (t) => [
    index('events_project_mode_id_idx').on(t.projectId, t.mode, t.id),
    index('events_payment_id_id_idx').on(t.paymentId, t.id),
  ],
);

/**
 * The test clock of a project's test mode: its time is real time plus
 * `offset_seconds`, which only ever grows. Live mode has no clock row: it is real time.
 */
export const testClocks = paymentsSchema.table(
  'test_clocks',
  {
    projectId: text('project_id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    offsetSeconds: bigint('offset_seconds', { mode: 'number' }).notNull().default(0),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  },
  (t) => [check('test_clocks_offset_not_negative', sql`${t.offsetSeconds} >= 0`)],
);

/** Stored responses of POSTs that carried an Idempotency-Key: the kit's one table shape. */
export const idempotencyKeys = idempotencyKeysTable(paymentsSchema);
