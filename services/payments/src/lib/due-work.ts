import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '@expe/server-kit';
import type { Clock } from '../shared/domain/clock.js';
import { dueSql, type DueAt } from '../shared/db/test-clock-repository.js';
import { balanceTransactions, disputes, payouts } from '../db/balance-schema.js';
import { qrCodes } from '../db/instrument-schema.js';
import { payments } from '../db/schema.js';
import { queryRows } from '../db/raw.js';
import { closeDueQrCode } from '../checkout/domain/close-qr-code.js';
import { makeDueFundsAvailable } from '../balance/domain/make-funds-available.js';
import { settleDuePayouts } from '../balance/domain/payout-lifecycle.js';
import type { PaymentMetrics } from '../shared/domain/metrics.js';
import {
  completeDuePendingPayment,
  expireDueAuthorization,
  expireDuePayment,
} from '../payments/domain/process-due-payments.js';
import { loseOverdueDisputes } from '../balance/domain/update-dispute.js';

export interface DueWorkDeps {
  db: Database;
  clock: Clock;
  metrics: PaymentMetrics;
}

/**
 * Something that happens when its time comes by a merchant's clock. `run` handles at most
 * `limit` due items (each in a transaction of its own, claimed with SKIP LOCKED) and returns how
 * many it handled; it is called by the background scheduler (every merchant, each at its own
 * clock) and right after a test clock is advanced (that merchant's test mode only).
 */
export interface DueWork {
  name: string;
  run(deps: DueWorkDeps, at: DueAt, limit: number): Promise<number>;
  /**
   * SQL condition, true when `run` would find an item: the rows its own query looks for
   * (`status` and `due` by the row's clock), as an `exists`. It may be true when `run` then finds
   * nothing (rows another replica holds); it must never be false when `run` would find one.
   */
  due(at: DueAt): SQL;
}

/**
 * `exists` over `table`'s rows in one of `statuses` whose `column` has come by their project's
 * clock (`dueSql`), one branch per status so that each is the partial index `<table>_…_idx` on
 * `column` where `status = …`. The first bound (no row's clock is ahead of real time by more than
 * the furthest test clock) is implied by `dueSql`; it is there for the index's range.
 */
function dueRows(
  table: PgTable & { status: AnyPgColumn; projectId: AnyPgColumn; mode: AnyPgColumn },
  statuses: readonly string[],
  column: AnyPgColumn,
  at: DueAt,
): SQL {
  const bound = sql`${column} <= ${at.realNow.toISOString()}::timestamptz + make_interval(secs => (select coalesce(max(c.offset_seconds), 0) from payments.test_clocks c))`;
  const branches = statuses.map(
    (status) =>
      // The status a literal, not a parameter: the partial index's predicate must match it.
      sql`exists (select 1 from ${table} where ${table.status} = ${sql.raw(`'${status}'`)} and ${bound} and ${dueSql(column, table.projectId, table.mode, at)})`,
  );
  return sql.join(branches, sql` or `);
}

/** Runs `step` until it finds nothing more or `limit` items were handled. */
export async function repeatUntilNone<T>(
  limit: number,
  step: () => Promise<T | undefined>,
  onItem?: (item: T) => void,
): Promise<number> {
  let handled = 0;
  while (handled < limit) {
    const item = await step();
    if (item === undefined) break;
    onItem?.(item);
    handled++;
  }
  return handled;
}

/**
 * Every kind of due work, in the order a pass runs them (pending UPI completes before funds
 * become available, ...). The registry is this explicit list: add a runner here.
 */
// unscoped: due-work sweeps look at every project's rows (each by its own clock) unless `at.scope`.
export const dueWork: DueWork[] = [
  {
    name: 'pending_upi_payments_completed',
    run: ({ db, clock, metrics }, at, limit) =>
      repeatUntilNone(
        limit,
        () => completeDuePendingPayment(db, clock, at),
        (payment) => metrics.paymentSucceeded(payment),
      ),
    due: (at) => dueRows(payments, ['processing'], payments.processingDueAt, at),
  },
  {
    name: 'unpaid_payments_expired',
    run: ({ db, clock }, at, limit) =>
      repeatUntilNone(limit, () => expireDuePayment(db, clock, at)),
    due: (at) =>
      dueRows(payments, ['requires_payment_method', 'requires_action'], payments.expiresAt, at),
  },
  {
    name: 'authorizations_expired',
    run: ({ db, clock }, at, limit) =>
      repeatUntilNone(limit, () => expireDueAuthorization(db, clock, at)),
    due: (at) => dueRows(payments, ['requires_capture'], payments.authorizationExpiresAt, at),
  },
  {
    name: 'qr_codes_closed_at_close_by',
    run: ({ db, clock }, at, limit) => repeatUntilNone(limit, () => closeDueQrCode(db, clock, at)),
    // A null close_by is never due (`null <= …` is not true).
    due: (at) => dueRows(qrCodes, ['active'], qrCodes.closeBy, at),
  },
  {
    name: 'funds_became_available',
    run: ({ db, clock }, at, limit) => makeDueFundsAvailable(db, clock, at, limit),
    // Also those without a payment_id, which `run` skips: true at worst, a pass that finds none.
    due: (at) => dueRows(balanceTransactions, ['pending'], balanceTransactions.availableOn, at),
  },
  {
    name: 'pending_payouts_paid',
    run: ({ db, clock }, at, limit) => settleDuePayouts(db, clock, at, limit),
    due: (at) => dueRows(payouts, ['pending'], payouts.arrivalDate, at),
  },
  {
    name: 'overdue_disputes_lost',
    run: ({ db, clock }, at, limit) => loseOverdueDisputes(db, clock, at, limit),
    due: (at) => dueRows(disputes, ['needs_response'], disputes.evidenceDueBy, at),
  },
];

/**
 * Whether any kind of due work has an item due: one statement, one round trip, where a pass that
 * finds nothing is a query per kind (and a transaction for those that claim with a lock).
 */
export async function isAnyWorkDue(db: Database, at: DueAt): Promise<boolean> {
  const conditions = dueWork.map((work) => sql`(${work.due(at)})`);
  const [row] = await queryRows<{ due: boolean }>(
    db,
    sql`select (${sql.join(conditions, sql` or `)}) as due`,
  );
  return row?.due === true;
}

/**
 * Runs passes over every due work until a pass finds nothing (or `maxPasses`), so work that
 * becomes due because of other work in the same advance (a payment completing, then its funds
 * becoming available) is done too. Each pass starts with `isAnyWorkDue`, so a pass with nothing
 * to do is that one statement. Returns how many items each kind handled.
 */
export async function runDueWork(
  deps: DueWorkDeps,
  at: DueAt,
  options: { limit?: number; maxPasses?: number } = {},
): Promise<Record<string, number>> {
  const limit = options.limit ?? 50;
  const maxPasses = options.maxPasses ?? 1;
  const handled: Record<string, number> = Object.fromEntries(dueWork.map((w) => [w.name, 0]));
  for (let pass = 0; pass < maxPasses; pass++) {
    if (!(await isAnyWorkDue(deps.db, at))) break;
    let inPass = 0;
    for (const work of dueWork) {
      const count = await work.run(deps, at, limit);
      handled[work.name] = (handled[work.name] ?? 0) + count;
      inPass += count;
    }
    if (inPass === 0) break;
  }
  return handled;
}
