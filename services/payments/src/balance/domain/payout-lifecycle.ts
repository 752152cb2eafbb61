import { AppError, newId, notFound, withTransaction, type Database } from '@expe/server-kit';
import type { Executor, Scope } from '@expe/server-kit';
import type { ReversePayoutInput } from '@expe/contracts';
import {
  findDuePayout,
  insertPayout,
  lockScopedPayout,
  updateScopedPayout,
  type PayoutRow,
} from '../db/payout-repository.js';
import { merchantAccount, sandboxPayoutsAccount } from '../../ledger/index.js';
import { type Clock } from '../../shared/domain/clock.js';
import { dueSql, type DueAt } from '../../shared/db/test-clock-repository.js';
import { arrivalOf, postWithBalanceTransaction } from './create-payout.js';
import { recordPayoutEvent } from './money-events.js';
import { scopeOf } from '../../shared/domain/scope-of.js';

// What happens to a payout after it is created (domain/create-payout.ts): it arrives, or it is
// canceled while pending, or, paid, it is reversed. Each change locks the payout's row first, so
// of two requests that race on one payout exactly one changes it and the other sees its result.

function unexpectedState(payout: PayoutRow, message: string): AppError {
  return AppError.of(
    'payout_unexpected_state',
    `Payout ${payout.id} is ${payout.status}: ${message}`,
  );
}

async function lockPayout(tx: Executor, scope: Scope, id: string): Promise<PayoutRow> {
  const payout = await lockScopedPayout(tx, scope, id);
  if (!payout) throw notFound('payout', id);
  return payout;
}

/**
 * Cancels a pending payout, as Stripe's `POST /v1/payouts/:id/cancel`: the money goes back to
 * the available balance (a `payout_cancel` movement and balance transaction, +amount), the payout
 * becomes `canceled` and `payout.canceled` is sent. Anything but a pending payout (and a pending
 * reversal, whose money already came back) is 409 `payout_unexpected_state`, nothing written.
 */
export async function cancelPayout(
  tx: Executor,
  scope: Scope,
  id: string,
  now: Date,
): Promise<PayoutRow> {
  const payout = await lockPayout(tx, scope, id);
  if (payout.status !== 'pending') {
    throw unexpectedState(payout, 'only a pending payout can be canceled');
  }
  if (payout.originalPayoutId) {
    throw unexpectedState(payout, 'a reversal cannot be canceled');
  }
  await postWithBalanceTransaction(tx, payout, 'payout_cancel', payout.amount, now, {
    kind: 'payout_cancel',
    reference: payout.id,
    createdAt: now,
    entries: [
      { account: sandboxPayoutsAccount(payout.currency), amount: -payout.amount },
      {
        account: merchantAccount(payout.projectId, payout.mode, payout.currency),
        amount: payout.amount,
      },
    ],
  });
  const canceled = await updateScopedPayout(tx, scope, id, { status: 'canceled' });
  await recordPayoutEvent(tx, 'payout.canceled', canceled, now);
  return canceled;
}

/**
 * Reverses a paid test-mode payout, as Stripe's `POST /v1/payouts/:id/reverse`: a new payout of
 * the same amount to the same destination brings the money back. Its movement credits the
 * available balance at once (`payout_reversal`, a `payout` balance transaction of +amount); it
 * arrives as any payout to that destination does (`pending@expe` a day later). The original
 * names it in `reversed_by`, the reversal the original in `original_payout`. Events:
 * `payout.created` for the reversal (and `payout.paid` when it arrives), `payout.updated` for the
 * original. Only a paid payout that is no reversal and was not reversed yet: else 409
 * `payout_unexpected_state`, nothing written.
 */
export async function reversePayout(
  tx: Executor,
  scope: Scope,
  id: string,
  input: ReversePayoutInput,
  now: Date,
): Promise<PayoutRow> {
  const original = await lockPayout(tx, scope, id);
  if (original.status !== 'paid') {
    throw unexpectedState(
      original,
      original.status === 'pending'
        ? 'a pending payout is canceled (POST /v1/payouts/:id/cancel), not reversed'
        : 'only a paid payout can be reversed',
    );
  }
  if (original.reversedById) {
    throw unexpectedState(original, `it was already reversed by ${original.reversedById}`);
  }
  if (original.originalPayoutId) {
    throw unexpectedState(original, 'a reversal cannot be reversed');
  }
  if (original.mode !== 'test') {
    throw unexpectedState(original, 'only a test-mode payout can be reversed');
  }
  const arrivalDate = arrivalOf(original.destinationVpa, now);
  const reversal = await insertPayout(tx, scope, {
    id: newId('po'),
    amount: original.amount,
    currency: original.currency,
    status: arrivalDate > now ? 'pending' : 'paid',
    destinationVpa: original.destinationVpa,
    failureCode: null,
    failureMessage: null,
    metadata: input.metadata ?? {},
    arrivalDate,
    originalPayoutId: original.id,
    createdAt: now,
  });
  await postWithBalanceTransaction(tx, reversal, 'payout', reversal.amount, now, {
    kind: 'payout_reversal',
    reference: reversal.id,
    createdAt: now,
    entries: [
      { account: sandboxPayoutsAccount(reversal.currency), amount: -reversal.amount },
      {
        account: merchantAccount(reversal.projectId, reversal.mode, reversal.currency),
        amount: reversal.amount,
      },
    ],
  });
  const reversed = await updateScopedPayout(tx, scope, original.id, { reversedById: reversal.id });
  await recordPayoutEvent(tx, 'payout.created', { ...reversal, status: 'pending' }, now);
  if (reversal.status === 'paid') await recordPayoutEvent(tx, 'payout.paid', reversal, now);
  await recordPayoutEvent(tx, 'payout.updated', reversed, now);
  return reversal;
}

/**
 * Due work (domain/due-work.ts): pending payouts whose arrival_date has come by their project's
 * clock arrive: `paid`, event `payout.paid`. No money moves (it left the balance at creation).
 * A payout canceled meanwhile is skipped under its row lock. Returns how many it marked paid.
 */
export async function settleDuePayouts(
  db: Database,
  clock: Clock,
  at: DueAt,
  limit: number,
): Promise<number> {
  let handled = 0;
  while (handled < limit) {
    const due = await findDuePayout(db, (column, projectId, mode) =>
      dueSql(column, projectId, mode, at),
    );
    if (!due) break;
    const scope = scopeOf(due);
    const paid = await withTransaction(db, async (tx) => {
      const payout = await lockScopedPayout(tx, scope, due.id);
      const now = await clock.now(tx, scope);
      if (payout?.status !== 'pending' || payout.arrivalDate > now) return false;
      const arrived = await updateScopedPayout(tx, scope, payout.id, { status: 'paid' });
      await recordPayoutEvent(tx, 'payout.paid', arrived, now);
      return true;
    });
    if (!paid) break;
    handled++;
  }
  return handled;
}
