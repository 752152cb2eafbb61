import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { balanceTransactions } from '../../db/balance-schema.js';
import { charges } from '../../db/charge-schema.js';
import { events, payments } from '../../db/schema.js';
import { columnsJson, queryRows } from '../../db/raw.js';
import type { PreparedLedgerPosting } from '../../ledger/index.js';
import type { ChargeRow } from './charge-repository.js';
import type { PaymentRow } from './payment-repository.js';
import type { PaymentBalanceTransaction } from './payment-credit-repository.js';

type EventInsert = typeof events.$inferInsert;

/** What a successful automatic capture writes, every row built by the service. */
export interface PaymentCaptureWrites {
  /** The payment as the capture leaves it (its captured columns are written). */
  payment: PaymentRow;
  paymentEvent: EventInsert;
  charge: ChargeRow;
  chargeEvent: EventInsert;
  /** The sandbox fee when the project's fees are on; the function picks by the setting. */
  fee: number;
  /** The posting with the fee, and the posting without it (fees off). */
  posting: PreparedLedgerPosting;
  freePosting: PreparedLedgerPosting;
  /** The `payment` balance transaction; its fee, net and ledger transaction follow the pick. */
  balanceTransaction: Omit<PaymentBalanceTransaction, 'fee' | 'net'> & {
    merchantId: string;
    projectId: string;
    mode: string;
  };
}

/** 'checkout_session': nothing was written, the payment has a Checkout Session to complete. */
export type PaymentCaptureOutcome = 'captured' | 'checkout_session';

const captureStatement = {
  name: 'payments.capture_payment_attempt.v1',
  text: `select payments.capture_payment_attempt($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) as outcome`,
};

/**
 * The writes of a successful automatic capture in one round trip inside the caller's transaction
 * (`payments.capture_payment_attempt`, migration 0020): the payment's update, its event, the
 * Charge and its event, the fee setting's read and, last, the ledger posting with its balance
 * transaction. The caller holds the payment's lock; the ledger's refusals come back as the
 * driver's error, as from `post_ledger_transaction`.
 */
// unscoped: the payment locked by id, its rows carry their own scope columns.
export async function capturePaymentAttempt(
  tx: Executor,
  writes: PaymentCaptureWrites,
): Promise<PaymentCaptureOutcome> {
  const bt = writes.balanceTransaction;
  const values = [
    columnsJson(payments, writes.payment),
    columnsJson(events, writes.paymentEvent),
    columnsJson(charges, writes.charge),
    columnsJson(events, writes.chargeEvent),
    writes.fee,
    writes.posting.id,
    writes.posting.entriesJson,
    writes.freePosting.id,
    writes.freePosting.entriesJson,
    columnsJson(balanceTransactions, {
      id: bt.id,
      merchantId: bt.merchantId,
      projectId: bt.projectId,
      mode: bt.mode,
      amount: bt.amount,
      currency: bt.currency,
      paymentId: bt.paymentId,
      chargeId: bt.chargeId,
      availableOn: bt.availableOn,
      createdAt: bt.createdAt,
    }),
  ];
  const [row] = await queryInTransaction<{ outcome: PaymentCaptureOutcome }>(
    tx,
    captureStatement,
    values,
    () => {
      const [payment, paymentEvent, charge, chargeEvent, fee, id, entries, freeId, free, bt] =
        values;
      return sql`select payments.capture_payment_attempt(${payment}::jsonb,
        ${paymentEvent}::jsonb, ${charge}::jsonb, ${chargeEvent}::jsonb, ${fee}::bigint, ${id},
        ${entries}::jsonb, ${freeId}, ${free}::jsonb, ${bt}::jsonb) as outcome`;
    },
  );
  if (!row) throw new Error('capture_payment_attempt returned nothing');
  return row.outcome;
}

interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  release(): void;
}

/**
 * On node-postgres, the transaction's own connection runs `statement` as a named prepared
 * statement (parsed and planned once per connection, no query building); elsewhere (PGlite)
 * drizzle runs `fallback`, the same statement as an ordinary parameterized one.
 */
async function queryInTransaction<T>(
  tx: Executor,
  statement: { name: string; text: string },
  values: unknown[],
  fallback: () => SQL,
): Promise<T[]> {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (client && typeof (client as Partial<NamedQueryClient>).release === 'function') {
    const result = await (client as NamedQueryClient).query({ ...statement, values });
    return result.rows as T[];
  }
  return queryRows<T>(tx, fallback());
}

const insertPaymentStatement = {
  name: 'payments.insert_payment_with_event.v1',
  text: `with payment as (
      insert into payments.payments
      select * from jsonb_populate_record(null::payments.payments, $1::jsonb)
    )
    insert into payments.events
    select * from jsonb_populate_record(null::payments.events, $2::jsonb)`,
};

/**
 * A new payment and its `payment.created` event in one statement, both rows built by the
 * service (every column of the payment given, as `PaymentRow` requires).
 */
// unscoped: the row carries its own scope columns.
export async function insertPaymentWithEvent(
  tx: Executor,
  payment: PaymentRow,
  event: EventInsert,
): Promise<void> {
  const values = [columnsJson(payments, payment), columnsJson(events, event)];
  await queryInTransaction(tx, insertPaymentStatement, values, () => {
    const [row, eventRow] = values;
    return sql`with payment as (
        insert into payments.payments
        select * from jsonb_populate_record(null::payments.payments, ${row}::jsonb)
      )
      insert into payments.events
      select * from jsonb_populate_record(null::payments.events, ${eventRow}::jsonb)`;
  });
}
