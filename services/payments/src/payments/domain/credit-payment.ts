import { scopeOf } from '../../shared/domain/scope-of.js';
import type { Executor } from '@expe/server-kit';
import { areFeesEnabled } from '../../balance/db/balance-transaction-repository.js';
import type { PaymentRow } from '../db/payment-repository.js';
import { postPaymentCredit } from '../db/payment-credit-repository.js';
import {
  type AccountKey,
  merchantPendingAccount,
  prepareLedgerPosting,
  sandboxFeesAccount,
} from '../../ledger/index.js';
import { availableOn, sandboxFee } from '../../balance/domain/fees.js';
import { openDispute } from '../../balance/domain/open-dispute.js';

export interface PaymentCredit {
  /** The id the `payment` balance transaction gets (the Charge names it before it is written). */
  balanceTransactionId: string;
  /** Where the payment's money comes from: the payer's wallet, the sandbox funding or a hold. */
  from: AccountKey;
  /** What was captured (amount_received). */
  amount: number;
  /** The time of the capture on the project clock. */
  now: Date;
  /** The sandbox's dispute card paid: the cardholder disputes the payment right away. */
  isDisputed?: boolean | undefined;
  /** The Charge whose money this is (the payment's latest). */
  chargeId: string | null;
}

/**
 * The money of a succeeded payment reaching the merchant (called once, from capture-payment.ts,
 * inside the payment's transaction): one `payment` ledger movement takes the captured amount from
 * the payer, credits the merchant's PENDING balance with the net and the sandbox fee account with
 * the fee, and the `payment` balance transaction records it, pending until 2 days later on the
 * project clock. The payment of the dispute card is then disputed in the same transaction.
 */
export async function creditPayment(
  tx: Executor,
  payment: PaymentRow,
  credit: PaymentCredit,
): Promise<void> {
  const { amount, now } = credit;
  const fee = sandboxFee(amount, payment.currency, await areFeesEnabled(tx, scopeOf(payment)));
  const net = amount - fee;
  const posting = prepareLedgerPosting({
    kind: 'payment',
    reference: payment.id,
    createdAt: now,
    entries: [
      { account: credit.from, amount: -amount },
      {
        account: merchantPendingAccount(payment.projectId, payment.mode, payment.currency),
        amount: net,
      },
      { account: sandboxFeesAccount(payment.currency), amount: fee },
    ].filter((entry) => entry.amount !== 0),
  });
  try {
    await postPaymentCredit(tx, scopeOf(payment), posting, {
      id: credit.balanceTransactionId,
      amount,
      fee,
      net,
      currency: payment.currency,
      paymentId: payment.id,
      chargeId: credit.chargeId,
      availableOn: availableOn(now),
      createdAt: now,
    });
  } catch (error) {
    throw posting.refusalOf(error) ?? error;
  }
  if (credit.isDisputed) await openDispute(tx, { ...payment, amountReceived: amount }, now);
}
