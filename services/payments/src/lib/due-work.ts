import type { Database } from '@expe/server-kit';
import type { Clock } from '../shared/domain/clock.js';
import type { DueAt } from '../shared/db/test-clock-repository.js';
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
export const dueWork: DueWork[] = [
  {
    name: 'pending_upi_payments_completed',
    run: ({ db, clock, metrics }, at, limit) =>
      repeatUntilNone(
        limit,
        () => completeDuePendingPayment(db, clock, at),
        (payment) => metrics.paymentSucceeded(payment),
      ),
  },
  {
    name: 'unpaid_payments_expired',
    run: ({ db, clock }, at, limit) =>
      repeatUntilNone(limit, () => expireDuePayment(db, clock, at)),
  },
  {
    name: 'authorizations_expired',
    run: ({ db, clock }, at, limit) =>
      repeatUntilNone(limit, () => expireDueAuthorization(db, clock, at)),
  },
  {
    name: 'qr_codes_closed_at_close_by',
    run: ({ db, clock }, at, limit) => repeatUntilNone(limit, () => closeDueQrCode(db, clock, at)),
  },
  {
    name: 'funds_became_available',
    run: ({ db, clock }, at, limit) => makeDueFundsAvailable(db, clock, at, limit),
  },
  {
    name: 'pending_payouts_paid',
    run: ({ db, clock }, at, limit) => settleDuePayouts(db, clock, at, limit),
  },
  {
    name: 'overdue_disputes_lost',
    run: ({ db, clock }, at, limit) => loseOverdueDisputes(db, clock, at, limit),
  },
];

/**
 * Runs passes over every due work until a pass finds nothing (or `maxPasses`), so work that
 * becomes due because of other work in the same advance (a payment completing, then its funds
 * becoming available) is done too. Returns how many items each kind handled.
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
