import type { Executor } from '@expe/server-kit';
import { updatePayment, type PaymentRow } from '../db/payment-repository.js';
import type { PaymentMethodValue } from '../db/schema.js';
import { recordPaymentEvent } from './events.js';
import {
  merchantAccount,
  postLedgerTransaction,
  sandboxFundingAccount,
  walletAccount,
} from './ledger.js';

/**
 * Moves the money of a payment the caller has locked and marks it succeeded: from the payer's
 * wallet (method wallet) or the sandbox funding account (card, UPI) to the merchant's balance
 * for the payment's mode and currency. The ledger's unique (kind, reference) makes a second
 * capture of the same payment fail even if a caller forgot the lock.
 */
export async function capturePayment(
  tx: Executor,
  payment: PaymentRow,
  source: { method: PaymentMethodValue; payerUserId: string | null },
  now: Date,
): Promise<PaymentRow> {
  const from =
    source.method === 'wallet' && source.payerUserId
      ? walletAccount(source.payerUserId)
      : sandboxFundingAccount(payment.currency);
  const succeeded = await updatePayment(tx, payment.id, {
    status: 'succeeded',
    method: source.method,
    payerUserId: source.method === 'wallet' ? source.payerUserId : null,
    lastPaymentError: null,
    processingDueAt: null,
    succeededAt: now,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.succeeded', succeeded, now);
  // Last: the ledger posting locks the merchant's (and a wallet payer's) balance until COMMIT.
  await postLedgerTransaction(tx, {
    kind: 'payment',
    reference: payment.id,
    createdAt: now,
    entries: [
      { account: from, amount: -payment.amount },
      {
        account: merchantAccount(payment.merchantId, payment.mode, payment.currency),
        amount: payment.amount,
      },
    ],
  });
  return succeeded;
}
