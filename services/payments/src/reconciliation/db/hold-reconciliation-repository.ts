import { sql } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { queryRows } from '../../db/raw.js';

/**
 * Manual-capture holds against their payments: each hold account was filled once by
 * the payment's authorization with at most its amount, holds exactly the payment's
 * `amount_capturable`, never more than was authorized, and was emptied only by the capture of
 * `amount_received` and the release of the rest (all of it when canceled). A hold without its
 * payment, or an automatic payment with a hold, is a mismatch too.
 */
// unscoped: reconciliation checks every project.
export function holdsInconsistentWithPayments(db: Executor) {
  return queryRows<Record<string, string | null>>(
    db,
    sql`with holds as (
          select a.owner_id as payment_id, a.balance,
                 coalesce(sum(e.amount) filter (where t.kind = 'authorization'), 0) as authorized,
                 coalesce(-sum(e.amount) filter (where t.kind = 'payment'), 0) as captured,
                 coalesce(-sum(e.amount) filter (where t.kind = 'release'), 0) as released,
                 coalesce(sum(e.amount) filter (
                   where t.kind not in ('authorization', 'payment', 'release')), 0) as other
          from payments.accounts a
          left join payments.ledger_entries e on e.account_id = a.id
          left join payments.ledger_transactions t on t.id = e.transaction_id
          where a.type = 'hold'
          group by a.owner_id, a.balance
        )
        select p.id as payment_id, p.status, p.capture_method, p.amount::text as amount,
               p.amount_capturable::text as amount_capturable,
               p.amount_received::text as amount_received,
               coalesce(h.balance, 0)::text as held, coalesce(h.authorized, 0)::text as authorized,
               coalesce(h.captured, 0)::text as captured, coalesce(h.released, 0)::text as released
        from payments.payments p
        left join holds h on h.payment_id = p.id
        where (h.payment_id is not null or p.capture_method = 'manual')
          and (coalesce(h.balance, 0) <> p.amount_capturable
            or coalesce(h.authorized, 0) > p.amount
            or coalesce(h.balance, 0) > coalesce(h.authorized, 0)
            or coalesce(h.other, 0) <> 0
            or coalesce(h.captured, 0) + coalesce(h.released, 0) + coalesce(h.balance, 0)
               <> coalesce(h.authorized, 0)
            or (p.capture_method = 'automatic' and h.payment_id is not null)
            or (p.capture_method = 'manual' and p.status = 'succeeded'
                and coalesce(h.captured, 0) <> p.amount_received)
            or (p.status = 'requires_capture' and coalesce(h.authorized, 0) <> p.amount))
        union all
        select h.payment_id, null, null, null, null, null, h.balance::text, h.authorized::text,
               h.captured::text, h.released::text
        from holds h
        where not exists (select 1 from payments.payments p where p.id = h.payment_id)
        order by 1`,
  );
}
