import { newId, type Executor } from '@expe/server-kit';
import { updatePayment, type PaymentRow } from '../db/payment-repository.js';
import type { PaymentMethodValue } from '../../db/schema.js';
import { chargeOfAttempt, recordChargeCapture, recordSucceededCharge } from './charges.js';
import { creditPayment, succeededColumns } from './credit-payment.js';
import { recordPaymentEvent } from './payment-events.js';
import {
  type AccountKey,
  holdAccount,
  postLedgerTransaction,
  sandboxFundingAccount,
  walletAccount,
} from '../../ledger/index.js';
import { settlePaymentInstruments } from './settle-payment-instruments.js';

/** Who pays: a wallet owner (method wallet) or the sandbox's card network / UPI bank. */
export interface PaymentSource {
  method: PaymentMethodValue;
  payerUserId: string | null;
  /** The sandbox's dispute card paid: the payment is disputed as soon as it succeeds. */
  isDisputed?: boolean | undefined;
}

/** How long an authorization may wait for its capture, by the project clock. */
export const authorizationValiditySeconds = 7 * 24 * 60 * 60;

/** The account a payment's money comes from, and where held money goes back to. */
export function payerAccountOf(payment: PaymentRow, source?: PaymentSource): AccountKey {
  const method = source?.method ?? payment.method;
  const payerUserId = source ? source.payerUserId : payment.payerUserId;
  return method === 'wallet' && payerUserId
    ? walletAccount(payerUserId)
    : sandboxFundingAccount(payment.currency);
}

/**
 * Moves the money of an automatic-capture payment the caller has locked and marks it
 * succeeded: from the payer's wallet (method wallet) or the sandbox funding account (card, UPI)
 * to the merchant's balance for the payment's mode and currency. The ledger's unique
 * (kind, reference) makes a second capture of the same payment fail even if a caller forgot
 * the lock.
 */
export async function capturePayment(
  tx: Executor,
  payment: PaymentRow,
  source: PaymentSource,
  now: Date,
): Promise<PaymentRow> {
  const charge = await chargeOfAttempt(tx, payment);
  return creditMerchant(tx, payment, {
    source,
    from: payerAccountOf(payment, source),
    amount: payment.amount,
    chargeId: charge.id,
    now,
    beforePosting: (succeeded, balanceTransactionId) =>
      recordSucceededCharge(
        tx,
        succeeded,
        { charge, method: source.method, amountCaptured: payment.amount, balanceTransactionId },
        now,
      ),
  });
}

/**
 * What a successful attempt does: an automatic-capture payment is captured at once, a manual
 * one is only authorized (its money held until the merchant captures it).
 */
export function settleSuccessfulAttempt(
  tx: Executor,
  payment: PaymentRow,
  source: PaymentSource,
  now: Date,
): Promise<PaymentRow> {
  return payment.captureMethod === 'manual'
    ? authorizePayment(tx, payment, source, now)
    : capturePayment(tx, payment, source, now);
}

/**
 * Authorizes a manual-capture payment the caller has locked: the whole amount moves from the
 * payer onto the payment's own hold account (not the merchant's balance) and the payment waits
 * in `requires_capture` until it is captured, canceled or its authorization expires.
 */
export async function authorizePayment(
  tx: Executor,
  payment: PaymentRow,
  source: PaymentSource,
  now: Date,
): Promise<PaymentRow> {
  const charge = await chargeOfAttempt(tx, payment);
  const authorized = await updatePayment(tx, payment.id, {
    status: 'requires_capture',
    latestChargeId: charge.id,
    method: source.method,
    payerUserId: source.method === 'wallet' ? source.payerUserId : null,
    lastPaymentError: null,
    processingDueAt: null,
    amountCapturable: payment.amount,
    authorizationExpiresAt: new Date(now.getTime() + authorizationValiditySeconds * 1000),
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.amount_capturable_updated', authorized, now);
  await recordSucceededCharge(
    tx,
    authorized,
    { charge, method: source.method, amountCaptured: 0, balanceTransactionId: null },
    now,
  );
  await postLedgerTransaction(tx, {
    kind: 'authorization',
    reference: payment.id,
    createdAt: now,
    entries: [
      { account: payerAccountOf(payment, source), amount: -payment.amount },
      { account: holdAccount(payment.id, payment.currency), amount: payment.amount },
    ],
  });
  return authorized;
}

/**
 * Captures `amount` (at most what is held) of an authorized payment the caller has locked: that
 * part goes from the hold to the merchant, the rest goes back to the payer at once.
 */
export async function captureAuthorizedPayment(
  tx: Executor,
  payment: PaymentRow,
  amount: number,
  now: Date,
): Promise<PaymentRow> {
  const succeeded = await creditMerchant(tx, payment, {
    source: { method: payment.method ?? 'card', payerUserId: payment.payerUserId },
    from: holdAccount(payment.id, payment.currency),
    amount,
    chargeId: payment.latestChargeId,
    now,
    beforePosting: (captured, balanceTransactionId) =>
      recordChargeCapture(tx, captured, { amount, balanceTransactionId }, now),
  });
  const rest = payment.amountCapturable - amount;
  if (rest > 0) await releaseHold(tx, payment, rest, now);
  return succeeded;
}

/**
 * Gives back `amount` held for the payment to its payer (cancel, expiry, the uncaptured part).
 * The hold account is never negative, so a second release of the same money is refused.
 */
export async function releaseHold(
  tx: Executor,
  payment: PaymentRow,
  amount: number,
  now: Date,
): Promise<void> {
  await postLedgerTransaction(tx, {
    kind: 'release',
    reference: payment.id,
    createdAt: now,
    entries: [
      { account: holdAccount(payment.id, payment.currency), amount: -amount },
      { account: payerAccountOf(payment), amount },
    ],
  });
}

/**
 * The one path by which a payment's money reaches the merchant's balance (automatic payments
 * and captures alike): marks the payment succeeded with `amount_received`, records
 * `payment.succeeded`, lets the caller write its Charge (`beforePosting`, given the id the
 * balance transaction will have) and posts the `payment` ledger movement last.
 */
async function creditMerchant(
  tx: Executor,
  payment: PaymentRow,
  credit: {
    source: PaymentSource;
    from: AccountKey;
    amount: number;
    /** The Charge whose money this is; null only for an authorization from before charges. */
    chargeId: string | null;
    now: Date;
    /** The Charge's writes, which name the balance transaction before it exists. */
    beforePosting: (succeeded: PaymentRow, balanceTransactionId: string) => Promise<unknown>;
  },
): Promise<PaymentRow> {
  const { source, from, amount, chargeId, now } = credit;
  const succeeded = await updatePayment(
    tx,
    payment.id,
    succeededColumns({
      chargeId,
      method: source.method,
      payerUserId: source.method === 'wallet' ? source.payerUserId : null,
      amount,
      now,
    }),
  );
  await recordPaymentEvent(tx, 'payment.succeeded', succeeded, now);
  await settlePaymentInstruments(tx, succeeded, now);
  const balanceTransactionId = newId('bt');
  await credit.beforePosting(succeeded, balanceTransactionId);
  // Last: the ledger posting locks the merchant's (and a wallet payer's) balance until COMMIT,
  // so every concurrent payment of the merchant waits for the statements after it. Only the
  // balance transaction (whose foreign key needs the ledger transaction) follows it here.
  await creditPayment(tx, succeeded, {
    balanceTransactionId,
    from,
    amount,
    now,
    isDisputed: source.isDisputed,
    chargeId,
  });
  return succeeded;
}
