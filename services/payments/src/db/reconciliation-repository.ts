import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { queryRows } from './raw.js';

/**
 * Read-only queries over the whole ledger for reconciliation. Sums are read as text and
 * converted once, so drivers that return bigint differently all agree.
 */
function rows(db: Executor, query: SQL): Promise<Record<string, string | null>[]> {
  return queryRows<Record<string, string | null>>(db, query);
}

export function unbalancedCurrencies(db: Executor) {
  return rows(
    db,
    sql`select currency, sum(amount)::text as sum
        from payments.ledger_entries group by currency having sum(amount) <> 0
        order by currency`,
  );
}

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

export function paymentsNotCapturedOnce(db: Executor) {
  return rows(
    db,
    sql`select p.id as payment_id, p.status, p.amount::text as amount,
               count(t.id)::text as ledger_transactions,
               coalesce(sum(credit.amount), 0)::text as captured
        from payments.payments p
        left join payments.ledger_transactions t on t.kind = 'payment' and t.reference = p.id
        left join lateral (
          select sum(e.amount) as amount from payments.ledger_entries e
          join payments.accounts a on a.id = e.account_id
          where e.transaction_id = t.id and a.type = 'merchant'
        ) credit on true
        group by p.id, p.status, p.amount
        having (p.status = 'succeeded' and (count(t.id) <> 1 or coalesce(sum(credit.amount), 0) <> p.amount_received))
            or (p.status <> 'succeeded' and count(t.id) > 0)
        order by p.id`,
  );
}

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
export function unmatchedLedgerReferences(db: Executor) {
  return rows(
    db,
    sql`select t.id as transaction_id, t.kind, t.reference, 'business object missing' as problem
        from payments.ledger_transactions t
        where (t.kind = 'payment' and not exists (select 1 from payments.payments p where p.id = t.reference))
           or (t.kind = 'refund' and not exists (select 1 from payments.refunds r where r.id = t.reference))
           or (t.kind = 'transfer' and not exists (select 1 from payments.transfers x where x.id = t.reference))
           or (t.kind = 'topup' and not exists (select 1 from payments.topups u where u.id = t.reference))
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

export async function ledgerTotals(db: Executor): Promise<Record<string, number>> {
  const [row] = await rows(
    db,
    sql`select (select count(*) from payments.accounts)::text as accounts,
               (select count(*) from payments.ledger_transactions)::text as ledger_transactions,
               (select count(*) from payments.ledger_entries)::text as ledger_entries,
               (select count(*) from payments.payments)::text as payments,
               (select count(*) from payments.refunds)::text as refunds,
               (select count(*) from payments.transfers)::text as transfers,
               (select count(*) from payments.topups)::text as topups`,
  );
  return Object.fromEntries(
    Object.entries(row ?? {}).map(([name, value]) => [name, Number(value)]),
  );
}
