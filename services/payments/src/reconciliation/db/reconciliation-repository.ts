import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { queryRows } from '../../db/raw.js';

/**
 * Read-only queries over the whole ledger for reconciliation. Sums are read as text and
 * converted once, so drivers that return bigint differently all agree.
 */
function rows(db: Executor, query: SQL): Promise<Record<string, string | null>[]> {
  return queryRows<Record<string, string | null>>(db, query);
}

// unscoped: reconciliation proves the books of every project and in total.
export function unbalancedCurrencies(db: Executor) {
  return rows(
    db,
    sql`select currency, sum(amount)::text as sum
        from payments.ledger_entries group by currency having sum(amount) <> 0
        order by currency`,
  );
}

// unscoped: reconciliation proves the books of every project and in total.
export function balancesDifferingFromEntries(db: Executor) {
  return rows(
    db,
    sql`select a.id as account_id, a.balance::text as balance,
               coalesce(sum(e.amount), 0)::text as entries_sum
        from payments.accounts a
        left join payments.ledger_entries e on e.account_id = a.id
        where not a.allows_negative
        group by a.id, a.balance
        having a.balance <> coalesce(sum(e.amount), 0)
        order by a.id`,
  );
}

// unscoped: reconciliation proves the books of every project and in total.
export function negativeOrMisconfiguredAccounts(db: Executor) {
  return rows(
    db,
    sql`select id as account_id, type, balance::text as balance,
               allows_negative::text as allows_negative
        from payments.accounts
        where type <> 'system' and (balance < 0 or allows_negative)
        order by id`,
  );
}

// unscoped: reconciliation proves the books of every project and in total.
export function unbalancedTransactions(db: Executor) {
  return rows(
    db,
    sql`select t.id as transaction_id, t.kind, t.reference,
               count(e.id)::text as entries,
               coalesce(string_agg(distinct e.currency, ','), '') as currencies,
               coalesce(max(per_currency.sum), '0') as unbalanced_sum
        from payments.ledger_transactions t
        left join payments.ledger_entries e on e.transaction_id = t.id
        left join lateral (
          select sum(x.amount)::text as sum from payments.ledger_entries x
          where x.transaction_id = t.id group by x.currency having sum(x.amount) <> 0 limit 1
        ) per_currency on true
        group by t.id, t.kind, t.reference
        having count(e.id) < 2 or max(per_currency.sum) is not null
        order by t.id`,
  );
}

/**
 * A succeeded payment has exactly one `payment` ledger transaction, and what it gave the merchant
 * (pending or available) plus the sandbox fee is what was captured (amount_received).
 */
// unscoped: reconciliation proves the books of every project and in total.
export function paymentsNotCapturedOnce(db: Executor) {
  return rows(
    db,
    sql`select p.id as payment_id, p.status, p.amount_received::text as amount,
               count(t.id)::text as ledger_transactions,
               coalesce(sum(credit.amount), 0)::text as captured
        from payments.payments p
        left join payments.ledger_transactions t on t.kind = 'payment' and t.reference = p.id
        left join lateral (
          select sum(e.amount) as amount from payments.ledger_entries e
          join payments.accounts a on a.id = e.account_id
          where e.transaction_id = t.id
            and ((a.type in ('merchant', 'merchant_pending') and a.owner_id = p.project_id)
                 or (a.type = 'system' and a.owner_id = 'sandbox_fees'))
        ) credit on true
        group by p.id, p.status, p.amount_received
        having (p.status = 'succeeded' and (count(t.id) <> 1 or coalesce(sum(credit.amount), 0) <> p.amount_received))
            or (p.status <> 'succeeded' and count(t.id) > 0)
        order by p.id`,
  );
}

/**
 * Balance transactions sum to the balance: per project, mode and currency (a merchant account's
 * owner is its project, issue 19), the available balance is the sum of the `net` of its
 * available balance transactions and the pending balance that of its pending ones.
 */
// unscoped: reconciliation proves the books of every project and in total.
export function balancesDifferingFromBalanceTransactions(db: Executor) {
  return rows(
    db,
    sql`with ${projectBalances}
        select project_id, mode, currency, status, balance, balance_transactions_sum
        from project_balances
        where balance <> balance_transactions_sum
        order by 1, 2, 3, 4`,
  );
}

/**
 * Every project's balances, available and pending, per mode and currency, beside the sum of its
 * balance transactions: the per-project section of the report.
 */
// unscoped: reconciliation proves the books of every project and in total.
export function projectBalanceSummaries(db: Executor) {
  return rows(
    db,
    sql`with ${projectBalances}
        select project_id, mode, currency, status, balance, balance_transactions_sum
        from project_balances
        order by 1, 2, 3, 4`,
  );
}

const projectBalances = sql`balances as (
          select owner_id as project_id, mode, currency,
                 case type when 'merchant' then 'available' else 'pending' end as status,
                 balance
          from payments.accounts where type in ('merchant', 'merchant_pending')
        ), sums as (
          select project_id, mode, currency, status, sum(net) as net
          from payments.balance_transactions group by project_id, mode, currency, status
        ), project_balances as (
        select coalesce(b.project_id, s.project_id) as project_id,
               coalesce(b.mode, s.mode) as mode,
               coalesce(b.currency, s.currency) as currency,
               coalesce(b.status, s.status) as status,
               coalesce(b.balance, 0)::text as balance,
               coalesce(s.net, 0)::text as balance_transactions_sum
        from balances b
        full join sums s on s.project_id = b.project_id and s.mode = b.mode
          and s.currency = b.currency and s.status = b.status
        )`;

/**
 * No money or object crosses a project: a refund, dispute and balance transaction of a payment
 * is in the payment's project and mode, and a payment's money went to its own project's balance.
 */
// unscoped: reconciliation proves the books of every project and in total.
export function objectsOutsideTheirPaymentProject(db: Executor) {
  return rows(
    db,
    sql`select 'refund' as object, r.id, r.project_id, p.id as payment_id,
               p.project_id as payment_project_id
        from payments.refunds r join payments.payments p on p.id = r.payment_id
        where r.project_id <> p.project_id or r.mode <> p.mode
        union all
        select 'dispute', d.id, d.project_id, p.id, p.project_id
        from payments.disputes d join payments.payments p on p.id = d.payment_id
        where d.project_id <> p.project_id or d.mode <> p.mode
        union all
        select 'balance_transaction', bt.id, bt.project_id, p.id, p.project_id
        from payments.balance_transactions bt join payments.payments p on p.id = bt.payment_id
        where bt.project_id <> p.project_id or bt.mode <> p.mode
        union all
        select 'ledger_entry', e.id, a.owner_id, p.id, p.project_id
        from payments.payments p
        join payments.ledger_transactions t on t.reference = p.id
        join payments.ledger_entries e on e.transaction_id = t.id
        join payments.accounts a on a.id = e.account_id
        where a.type in ('merchant', 'merchant_pending')
          and (a.owner_id <> p.project_id or a.mode <> p.mode)
        order by 1, 2`,
  );
}

/**
 * Each balance transaction is what its ledger transaction did to the merchant (net) and to the
 * fee account (fee); each ledger movement of a merchant balance has exactly one.
 */
// unscoped: reconciliation proves the books of every project and in total.
export function balanceTransactionsDifferingFromLedger(db: Executor) {
  return rows(
    db,
    sql`select bt.id as balance_transaction_id, bt.ledger_transaction_id as transaction_id,
               bt.net::text as net, coalesce(m.amount, 0)::text as merchant_entries,
               bt.fee::text as fee, coalesce(f.amount, 0)::text as fee_entries,
               'net or fee differs from the ledger' as problem
        from payments.balance_transactions bt
        left join lateral (
          select sum(e.amount) as amount from payments.ledger_entries e
          join payments.accounts a on a.id = e.account_id
          where e.transaction_id = bt.ledger_transaction_id
            and a.type in ('merchant', 'merchant_pending')
            and a.owner_id = bt.project_id and a.mode = bt.mode
        ) m on true
        left join lateral (
          select sum(e.amount) as amount from payments.ledger_entries e
          join payments.accounts a on a.id = e.account_id
          where e.transaction_id = bt.ledger_transaction_id
            and a.type = 'system' and a.owner_id = 'sandbox_fees'
        ) f on true
        where bt.net <> coalesce(m.amount, 0) or bt.fee <> coalesce(f.amount, 0)
        union all
        select null, t.id, null, null, null, null,
               t.kind || ' ' || t.reference || ' has ' || count(bt.id) || ' balance transactions'
        from payments.ledger_transactions t
        left join payments.balance_transactions bt on bt.ledger_transaction_id = t.id
        where t.kind in ('payment', 'refund', 'dispute', 'dispute_reversal', 'payout', 'payout_failure',
                         'payout_cancel', 'payout_reversal')
        group by t.id, t.kind, t.reference
        having count(bt.id) <> 1
        order by 2`,
  );
}

/**
 * A dispute debits the merchant once, by its amount; only a won dispute is re-credited, once.
 */
// unscoped: reconciliation proves the books of every project and in total.
export function disputesNotDebitedOnce(db: Executor) {
  return rows(
    db,
    sql`select d.id as dispute_id, d.status, d.amount::text as amount,
               (select count(*) from payments.ledger_transactions t
                 where t.kind = 'dispute' and t.reference = d.id)::text as debits,
               (select count(*) from payments.ledger_transactions t
                 where t.kind = 'dispute_reversal' and t.reference = d.id)::text as reversals,
               coalesce((select sum(bt.amount) from payments.balance_transactions bt
                 where bt.source = d.id), 0)::text as balance_transactions_sum
        from payments.disputes d
        where (select count(*) from payments.ledger_transactions t
                where t.kind = 'dispute' and t.reference = d.id) <> 1
           or (select count(*) from payments.ledger_transactions t
                where t.kind = 'dispute_reversal' and t.reference = d.id)
              <> case when d.status = 'won' then 1 else 0 end
           or coalesce((select sum(bt.amount) from payments.balance_transactions bt
                where bt.source = d.id), 0)
              <> case when d.status = 'won' then 0 else -d.amount end
        order by d.id`,
  );
}

/**
 * A payout took its amount from the available balance once; a failed or canceled one gave it
 * back once, a pending or paid one never. A reversal (original_payout_id) gave the amount back
 * once, and its original is a paid payout that names it.
 */
// unscoped: reconciliation proves the books of every project and in total.
export function payoutsInconsistentWithStatus(db: Executor) {
  return rows(
    db,
    sql`select p.id as payout_id, p.status, p.amount::text as amount,
               coalesce(sum(bt.net) filter (where bt.type = 'payout'), 0)::text as paid_out,
               coalesce(sum(bt.net) filter (where bt.type in ('payout_failure', 'payout_cancel')), 0)::text as returned,
               count(bt.id)::text as entries
        from payments.payouts p
        left join payments.balance_transactions bt on bt.source = p.id
        left join payments.payouts o on o.id = p.original_payout_id
        group by p.id, p.status, p.amount, p.original_payout_id, o.status, o.reversed_by_id
        having coalesce(sum(bt.net) filter (where bt.type = 'payout'), 0)
               <> case when p.original_payout_id is null then -p.amount else p.amount end
            or coalesce(sum(bt.net) filter (where bt.type in ('payout_failure', 'payout_cancel')), 0)
               <> case when p.status in ('failed', 'canceled') then p.amount else 0 end
            or count(bt.id) <> case when p.status in ('failed', 'canceled') then 2 else 1 end
            or (p.original_payout_id is not null
                and (o.status is distinct from 'paid' or o.reversed_by_id is distinct from p.id))
        order by p.id`,
  );
}

// unscoped: reconciliation proves the books of every project and in total.
export function paymentsWithRefundMismatch(db: Executor) {
  return rows(
    db,
    sql`select p.id as payment_id, p.amount::text as amount,
               p.amount_refunded::text as amount_refunded,
               coalesce(r.total, 0)::text as refunds_sum
        from payments.payments p
        left join (
          select payment_id, sum(amount) as total from payments.refunds group by payment_id
        ) r on r.payment_id = p.id
        where p.amount_refunded > p.amount or p.amount_refunded <> coalesce(r.total, 0)
        order by p.id`,
  );
}

/** Ledger transactions whose business object is missing, and business objects never posted. */
// unscoped: reconciliation proves the books of every project and in total.
export function unmatchedLedgerReferences(db: Executor) {
  return rows(
    db,
    sql`select t.id as transaction_id, t.kind, t.reference, 'business object missing' as problem
        from payments.ledger_transactions t
        where (t.kind = 'payment' and not exists (select 1 from payments.payments p where p.id = t.reference))
           or (t.kind = 'refund' and not exists (select 1 from payments.refunds r where r.id = t.reference))
           or (t.kind = 'transfer' and not exists (select 1 from payments.transfers x where x.id = t.reference))
           or (t.kind = 'topup' and not exists (select 1 from payments.topups u where u.id = t.reference))
           or (t.kind in ('availability', 'authorization', 'release') and not exists (select 1 from payments.payments p where p.id = t.reference))
           or (t.kind in ('dispute', 'dispute_reversal') and not exists (select 1 from payments.disputes d where d.id = t.reference))
           or (t.kind in ('payout', 'payout_failure', 'payout_cancel', 'payout_reversal') and not exists (select 1 from payments.payouts o where o.id = t.reference))
        union all
        select null, 'refund', r.id, 'never posted to the ledger' from payments.refunds r
        where not exists (select 1 from payments.ledger_transactions t where t.kind = 'refund' and t.reference = r.id)
        union all
        select null, 'transfer', x.id, 'never posted to the ledger' from payments.transfers x
        where not exists (select 1 from payments.ledger_transactions t where t.kind = 'transfer' and t.reference = x.id)
        union all
        select null, 'topup', u.id, 'never posted to the ledger' from payments.topups u
        where not exists (select 1 from payments.ledger_transactions t where t.kind = 'topup' and t.reference = u.id)
        order by 3`,
  );
}

// unscoped: reconciliation proves the books of every project and in total.
export async function ledgerTotals(db: Executor): Promise<Record<string, number>> {
  const [row] = await rows(
    db,
    sql`select (select count(*) from payments.accounts)::text as accounts,
               (select count(*) from payments.ledger_transactions)::text as ledger_transactions,
               (select count(*) from payments.ledger_entries)::text as ledger_entries,
               (select count(*) from payments.payments)::text as payments,
               (select count(*) from payments.refunds)::text as refunds,
               (select count(*) from payments.transfers)::text as transfers,
               (select count(*) from payments.topups)::text as topups,
               (select count(*) from payments.balance_transactions)::text as balance_transactions,
               (select count(*) from payments.payouts)::text as payouts,
               (select count(*) from payments.disputes)::text as disputes`,
  );
  return Object.fromEntries(
    Object.entries(row ?? {}).map(([name, value]) => [name, Number(value)]),
  );
}

/**
 * Makes the open transaction one read-only snapshot (REPEATABLE READ, READ ONLY): every check of
 * a reconciliation sees the same books. Must be its first statement.
 */
export async function useReadOnlySnapshot(tx: Executor): Promise<void> {
  await tx.execute(sql`set transaction isolation level repeatable read, read only`);
}
