import { withTransaction, type Database } from '@expe/server-kit';
import {
  findDuePendingPayment,
  listPendingOfPayment,
  markPaymentFundsAvailable,
} from '../db/balance-transaction-repository.js';
import { lockPayment } from '../../payments/db/payment-repository.js';
import {
  merchantAccount,
  merchantPendingAccount,
  postLedgerTransaction,
} from '../../ledger/index.js';
import { type Clock } from '../../shared/domain/clock.js';
import { dueSql, type DueAt } from '../../shared/db/test-clock-repository.js';

/**
 * Due work (domain/due-work.ts): the funds of payments whose `available_on` has come by their
 * merchant's clock move from the pending to the available balance. A payment's balance
 * transactions (its credit, and refunds or disputes taken from it while pending) share its
 * `available_on` and move together in one `availability` ledger movement (reference = the
 * payment, so at most once), under the payment's row lock, which refunds and disputes take too.
 * Returns how many payments it handled.
 */
export async function makeDueFundsAvailable(
  db: Database,
  clock: Clock,
  at: DueAt,
  limit: number,
): Promise<number> {
  const seen: string[] = [];
  let handled = 0;
  while (seen.length < limit) {
    const paymentId = await findDuePendingPayment(
      db,
      (column, projectId, mode) => dueSql(column, projectId, mode, at),
      seen,
    );
    if (!paymentId) break;
    seen.push(paymentId);
    if (await makePaymentFundsAvailable(db, paymentId, clock)) handled++;
  }
  return handled;
}

async function makePaymentFundsAvailable(
  db: Database,
  paymentId: string,
  clock: Clock,
): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    if (!payment) return false;
    const pending = await listPendingOfPayment(tx, paymentId);
    if (pending.length === 0) return false; // another replica was first
    const now = await clock.now(tx, { projectId: payment.projectId, mode: payment.mode });
    if (pending.some((row) => row.availableOn > now)) return false;
    const net = pending.reduce((sum, row) => sum + row.net, 0);
    if (net !== 0) {
      await postLedgerTransaction(tx, {
        kind: 'availability',
        reference: payment.id,
        createdAt: now,
        entries: [
          {
            account: merchantPendingAccount(payment.projectId, payment.mode, payment.currency),
            amount: -net,
          },
          {
            account: merchantAccount(payment.projectId, payment.mode, payment.currency),
            amount: net,
          },
        ],
      });
    }
    await markPaymentFundsAvailable(tx, paymentId);
    return true;
  });
}
