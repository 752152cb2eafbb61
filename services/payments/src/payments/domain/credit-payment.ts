import { context, propagation } from '@opentelemetry/api';
import { scopeOf } from '../../shared/domain/scope-of.js';
import { newId, type Executor } from '@expe/server-kit';
import type { PaymentMethodValue } from '../../db/schema.js';
import type { ChargeRow } from '../db/charge-repository.js';
import { capturePaymentAttempt } from '../db/payment-capture-repository.js';
import { toChargeResource } from './charge-resources.js';
import { approved, chargeFieldsOf } from './charges.js';
import { toPaymentEventData } from './resources.js';
import { areFeesEnabled } from '../../balance/db/balance-transaction-repository.js';
import type { PaymentRow } from '../db/payment-repository.js';
import { postPaymentCredit } from '../db/payment-credit-repository.js';
import {
  type AccountKey,
  merchantPendingAccount,
  prepareLedgerPosting,
  sandboxFeesAccount,
  sandboxFundingAccount,
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

/** The columns a successful attempt sets on its payment: succeeded, with what it received. */
export function succeededColumns(attempt: {
  chargeId: string | null;
  method: PaymentMethodValue;
  payerUserId: string | null;
  amount: number;
  now: Date;
}) {
  return {
    status: 'succeeded',
    latestChargeId: attempt.chargeId,
    method: attempt.method,
    payerUserId: attempt.payerUserId,
    lastPaymentError: null,
    processingDueAt: null,
    amountCapturable: 0,
    amountReceived: attempt.amount,
    succeededAt: attempt.now,
    updatedAt: attempt.now,
  } satisfies Partial<PaymentRow>;
}

/**
 * A successful attempt of an automatic-capture card or UPI payment the caller has locked, in one
 * statement (`payments.capture_payment_attempt`, migration 0020): the same writes in the same
 * order as `capturePayment` (capture-payment.ts) makes them one round trip each — the payment
 * succeeded, `payment.succeeded`, a new Charge and `charge.succeeded`, the `payment` ledger
 * movement and balance transaction, the fee as the project's setting says. Only for the case
 * with nothing else to do: no pending Charge to complete, no dispute card, no instrument to save
 * or credit (card to save, QR code, payment link). `undefined` when the payment does not qualify
 * or has a Checkout Session to complete (then nothing was written): the caller takes the general
 * path.
 */
export async function captureAttemptInOneStatement(
  tx: Executor,
  payment: PaymentRow,
  source: { method: PaymentMethodValue; isDisputed?: boolean | undefined },
  now: Date,
): Promise<PaymentRow | undefined> {
  const { method } = source;
  if (
    method === 'wallet' ||
    source.isDisputed ||
    payment.captureMethod === 'manual' ||
    payment.latestChargeId ||
    (payment.setupFutureUsage && payment.customerId) ||
    payment.qrCodeId ||
    payment.paymentLinkId
  ) {
    return undefined;
  }
  const amount = payment.amount;
  const chargeId = newId('ch');
  const balanceTransactionId = newId('bt');
  const succeeded: PaymentRow = {
    ...payment,
    ...succeededColumns({ chargeId, method, payerUserId: null, amount, now }),
  };
  const charge: ChargeRow = {
    id: chargeId,
    ...chargeFieldsOf(payment, method, now),
    merchantId: payment.merchantId,
    projectId: payment.projectId,
    mode: payment.mode,
    amountCaptured: amount,
    amountRefunded: 0,
    status: 'succeeded',
    captured: amount > 0,
    refunded: false,
    method,
    failureCode: null,
    failureMessage: null,
    outcome: approved,
    balanceTransactionId,
  };
  const eventOf = (type: string, objectId: string, data: Record<string, unknown>) =>
    eventRow(type, succeeded, objectId, data, now);
  const fee = sandboxFee(amount, payment.currency, true);
  const postingOf = (fee: number) =>
    prepareLedgerPosting({
      kind: 'payment',
      reference: payment.id,
      createdAt: now,
      entries: [
        { account: sandboxFundingAccount(payment.currency), amount: -amount },
        {
          account: merchantPendingAccount(payment.projectId, payment.mode, payment.currency),
          amount: amount - fee,
        },
        { account: sandboxFeesAccount(payment.currency), amount: fee },
      ].filter((entry) => entry.amount !== 0),
    });
  const posting = postingOf(fee);
  let outcome;
  try {
    outcome = await capturePaymentAttempt(tx, {
      payment: succeeded,
      paymentEvent: eventOf('payment.succeeded', payment.id, toPaymentEventData(succeeded)),
      charge,
      chargeEvent: eventOf('charge.succeeded', chargeId, { ...toChargeResource(charge) }),
      fee,
      posting,
      freePosting: postingOf(0),
      balanceTransaction: {
        id: balanceTransactionId,
        merchantId: payment.merchantId,
        projectId: payment.projectId,
        mode: payment.mode,
        amount,
        currency: payment.currency,
        paymentId: payment.id,
        chargeId,
        availableOn: availableOn(now),
        createdAt: now,
      },
    });
  } catch (error) {
    throw posting.refusalOf(error) ?? error;
  }
  return outcome === 'captured' ? succeeded : undefined;
}

/**
 * The outbox row of an event about `payment` (no wallet payer), as `recordPaymentEvent` writes
 * it, for a statement that inserts it itself.
 */
export function paymentEventRow(type: string, payment: PaymentRow, now: Date) {
  return eventRow(type, payment, payment.id, toPaymentEventData(payment), now);
}

function eventRow(
  type: string,
  payment: PaymentRow,
  objectId: string,
  data: Record<string, unknown>,
  now: Date,
) {
  return {
    id: newId('evt'),
    type,
    mode: payment.mode,
    merchantId: payment.merchantId,
    projectId: payment.projectId,
    userIds: payment.payerUserId ? [payment.payerUserId] : [],
    objectId,
    paymentId: payment.id,
    data,
    createdAt: now,
    traceparent: currentTraceparent(),
  };
}

/** The trace the events continue (as `recordEvent` stores it). */
function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}
