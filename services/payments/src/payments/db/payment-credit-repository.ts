import { sql } from 'drizzle-orm';
import type { Executor, Scope } from '@expe/server-kit';
import { queryRows } from '../../db/raw.js';
import type { PreparedLedgerPosting } from '../../ledger/index.js';

/** The `payment` balance transaction a payment's credit writes with its ledger movement. */
export interface PaymentBalanceTransaction {
  id: string;
  amount: number;
  fee: number;
  net: number;
  currency: string;
  paymentId: string;
  chargeId: string | null;
  availableOn: Date;
  createdAt: Date;
}

/**
 * The `payment` ledger movement (`payments.post_ledger_transaction`, migration 0002) and its
 * pending balance transaction in one statement: the movement locks the merchant's balance until
 * COMMIT, and every concurrent payment of the merchant waits for the round trips that follow it,
 * so the balance transaction (whose foreign key needs the ledger transaction, hence after it)
 * rides in the same trip. The insert reads the function's result, so the function runs first.
 */
export async function postPaymentCredit(
  db: Executor,
  scope: Scope,
  posting: PreparedLedgerPosting,
  row: PaymentBalanceTransaction,
): Promise<void> {
  await queryRows(
    db,
    sql`with posted as (
      select count(*) as accounts from payments.post_ledger_transaction(
        ${posting.id}, ${posting.kind}, ${posting.reference},
        ${posting.createdAt.toISOString()}::timestamptz, ${posting.entriesJson}::jsonb)
    )
    insert into payments.balance_transactions (id, merchant_id, project_id, mode, type, amount,
      fee, net, currency, source, payment_id, charge_id, ledger_transaction_id, status,
      available_on, created_at)
    select ${row.id}, ${scope.merchantId}, ${scope.projectId}, ${scope.mode}, 'payment',
      ${row.amount}::bigint, ${row.fee}::bigint, ${row.net}::bigint, ${row.currency},
      ${row.paymentId}, ${row.paymentId}, ${row.chargeId}, ${posting.id}, 'pending',
      ${row.availableOn.toISOString()}::timestamptz, ${row.createdAt.toISOString()}::timestamptz
    from posted`,
  );
}
