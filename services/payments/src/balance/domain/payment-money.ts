import { scopeOf } from '../../shared/domain/scope-of.js';
import { newId, type Executor } from '@expe/server-kit';
import type { BalanceTransactionType } from '../../db/balance-schema.js';
import {
  findPaymentCredit,
  insertBalanceTransaction,
  type BalanceTransactionRow,
} from '../db/balance-transaction-repository.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import type { LedgerKind } from '../../db/schema.js';
import {
  type AccountKey,
  merchantAccount,
  merchantPendingAccount,
  postLedgerTransaction,
  sandboxFeesAccount,
  sandboxFundingAccount,
  walletAccount,
} from '../../ledger/index.js';

export interface PaymentMoneyMovement {
  /** The payment whose money moves; the caller holds its row lock. */
  payment: PaymentRow;
  kind: LedgerKind;
  /** The business object of the movement (re_, dp_), the ledger reference and the bt's source. */
  source: string;
  type: BalanceTransactionType;
  /** The effect on the merchant before fees: negative when money is taken back. */
  amount: number;
  /** Expe's fee part of it: negative when a fee is returned. */
  fee: number;
  /** The other side of the movement (the payer's wallet or the sandbox funding account). */
  counterparty: AccountKey;
  now: Date;
}

/**
 * Moves money tied to a payment that already credited the merchant (a refund, a dispute, a won
 * dispute's re-credit): while the payment's own funds are still pending, on the pending account
 * with the same `available_on` (so they become available together and the pending balance of a
 * payment never goes below zero); once they are available, on the available balance. Writes the
 * balance transaction in the same database transaction as the ledger movement. The ledger refuses
 * to take a merchant account below zero (InsufficientFundsError).
 */
export async function movePaymentMoney(
  tx: Executor,
  movement: PaymentMoneyMovement,
): Promise<BalanceTransactionRow> {
  const { payment, amount, fee, now } = movement;
  const credit = await findPaymentCredit(tx, payment.id);
  const isPending = credit?.status === 'pending';
  const net = amount - fee;
  const merchant = isPending
    ? merchantPendingAccount(payment.projectId, payment.mode, payment.currency)
    : merchantAccount(payment.projectId, payment.mode, payment.currency);
  const entries = [
    { account: merchant, amount: net },
    { account: sandboxFeesAccount(payment.currency), amount: fee },
    { account: movement.counterparty, amount: -amount },
  ].filter((entry) => entry.amount !== 0);
  const posted = await postLedgerTransaction(tx, {
    kind: movement.kind,
    reference: movement.source,
    createdAt: now,
    entries,
  });
  return insertBalanceTransaction(tx, scopeOf(payment), {
    id: newId('bt'),
    type: movement.type,
    amount,
    fee,
    net,
    currency: payment.currency,
    source: movement.source,
    paymentId: payment.id,
    ledgerTransactionId: posted.id,
    status: isPending ? 'pending' : 'available',
    availableOn: isPending && credit ? credit.availableOn : now,
    createdAt: now,
  });
}

/** What the payment's credit charged and captured (payments from before fees: no fee). */
export async function paymentCreditOf(
  tx: Executor,
  payment: PaymentRow,
): Promise<{ captured: number; fee: number }> {
  const credit = await findPaymentCredit(tx, payment.id);
  return credit
    ? { captured: credit.amount, fee: credit.fee }
    : { captured: payment.amount, fee: 0 };
}

/** Where money taken back from a payment goes: the payer's wallet, or the sandbox's card network / UPI bank. */
export function payerOf(payment: PaymentRow): AccountKey {
  return payment.method === 'wallet' && payment.payerUserId
    ? walletAccount(payment.payerUserId)
    : sandboxFundingAccount(payment.currency);
}
