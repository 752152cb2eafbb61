import { newId, type Executor } from '@expe/server-kit';
import type { ChargeOutcome, ChargePaymentMethodDetails } from '../../db/charge-schema.js';
import {
  findScopedCharge,
  insertCharge,
  updateScopedCharge,
  type ChargeChanges,
  type ChargeRow,
} from '../db/charge-repository.js';
import { updatePayment, type PaymentRow } from '../db/payment-repository.js';
import type { PaymentMethodValue, StoredPaymentError } from '../../db/schema.js';
import { recordChargeEvent } from './payment-events.js';
import { scopeOf } from '../../shared/domain/scope-of.js';

/**
 * The Charges of a payment (issue 20): one per attempt, written in the transaction of the attempt
 * by the use case that makes it, under the payment's row lock. A pending attempt (UPI collect) is
 * one Charge from pending to succeeded or failed; a 3-D Secure challenge makes no Charge until it
 * is passed, as in Stripe.
 */

/** A Charge's outcome when the network approved it. */
export const approved: ChargeOutcome = {
  network_status: 'approved_by_network',
  reason: null,
  risk_level: 'normal',
  seller_message: 'Payment complete.',
  type: 'authorized',
};

function declined(error: StoredPaymentError): ChargeOutcome {
  // A wallet short of money is refused by Expe itself, before any network.
  const isExpe = error.code === 'insufficient_funds' && !error.decline_code;
  return {
    network_status: isExpe ? 'not_sent_to_network' : 'declined_by_network',
    reason: error.decline_code ?? error.code,
    risk_level: 'normal',
    seller_message: isExpe
      ? error.message
      : 'The bank did not return any further details with this decline.',
    type: isExpe ? 'invalid' : 'issuer_declined',
  };
}

/** What the attempt paid with: the card without its number, or the method alone. */
export function paymentMethodDetailsOf(
  payment: PaymentRow,
  method: PaymentMethodValue,
): ChargePaymentMethodDetails {
  const card = payment.cardDetails;
  if (method !== 'card' || !card) return { type: method };
  return {
    type: 'card',
    card: {
      brand: card.brand,
      last4: card.last4,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      funding: 'credit',
      country: 'US',
      checks: { cvc_check: 'pass', address_line1_check: null, address_postal_code_check: null },
    },
  };
}

/** The attempt's Charge still open: the payment's latest, while it is pending. */
async function pendingChargeOf(tx: Executor, payment: PaymentRow): Promise<ChargeRow | undefined> {
  if (!payment.latestChargeId) return undefined;
  const charge = await findScopedCharge(tx, scopeOf(payment), payment.latestChargeId);
  return charge?.status === 'pending' ? charge : undefined;
}

/** The Charge an attempt writes: the pending one it completes, or a new one. */
export interface AttemptCharge {
  id: string;
  isPending: boolean;
}

/**
 * The Charge a successful or failed attempt settles: the pending Charge it completes, or a new
 * one. Taken before the money moves, so the balance transaction names it; the attempt's writes
 * then need not look it up again.
 */
export async function chargeOfAttempt(tx: Executor, payment: PaymentRow): Promise<AttemptCharge> {
  const pending = await pendingChargeOf(tx, payment);
  return pending ? { id: pending.id, isPending: true } : { id: newId('ch'), isPending: false };
}

async function writeAttemptCharge(
  tx: Executor,
  payment: PaymentRow,
  target: AttemptCharge,
  attempt: ChargeChanges & Pick<ChargeRow, 'status' | 'method'>,
  now: Date,
): Promise<ChargeRow> {
  const scope = scopeOf(payment);
  const { id } = target;
  if (target.isPending) return updateScopedCharge(tx, scope, id, { ...attempt, updatedAt: now });
  return insertCharge(tx, scope, {
    id,
    ...chargeFieldsOf(payment, attempt.method, now),
    ...attempt,
  });
}

/** What a new Charge takes from its payment: the amount, the method's details, the description. */
export function chargeFieldsOf(payment: PaymentRow, method: PaymentMethodValue, now: Date) {
  return {
    paymentId: payment.id,
    amount: payment.amount,
    currency: payment.currency,
    paymentMethodDetails: paymentMethodDetailsOf(payment, method),
    customerId: payment.customerId,
    paymentMethodId: payment.paymentMethodId,
    description: payment.description,
    receiptEmail: payment.customerEmail,
    metadata: payment.metadata,
    createdAt: now,
    updatedAt: now,
  } satisfies Partial<ChargeRow>;
}

/** A UPI collect request the payer has not approved yet: a pending Charge. */
export async function recordPendingCharge(
  tx: Executor,
  payment: PaymentRow,
  method: PaymentMethodValue,
  now: Date,
): Promise<PaymentRow> {
  const charge = await writeAttemptCharge(
    tx,
    payment,
    { id: newId('ch'), isPending: false },
    { status: 'pending', method, outcome: null },
    now,
  );
  const updated = await updatePayment(tx, payment.id, {
    latestChargeId: charge.id,
    updatedAt: now,
  });
  await recordChargeEvent(tx, 'charge.pending', charge, updated, now);
  return updated;
}

/**
 * A declined attempt: a failed Charge, or the pending one it was (a UPI payment the bank refused
 * in the end). The payment (already updated with its error) then names it as its latest.
 */
export async function recordFailedCharge(
  tx: Executor,
  payment: PaymentRow,
  method: PaymentMethodValue,
  error: StoredPaymentError,
  now: Date,
): Promise<PaymentRow> {
  const charge = await writeAttemptCharge(
    tx,
    payment,
    await chargeOfAttempt(tx, payment),
    {
      status: 'failed',
      method,
      failureCode: error.code,
      failureMessage: error.message,
      outcome: declined(error),
    },
    now,
  );
  const updated = await updatePayment(tx, payment.id, {
    latestChargeId: charge.id,
    updatedAt: now,
  });
  await recordChargeEvent(tx, 'charge.failed', charge, updated, now);
  return updated;
}

/**
 * A successful attempt's Charge (the payment already names it as latest): captured at once with
 * its balance transaction, or, for a manual capture, held (captured false).
 */
export async function recordSucceededCharge(
  tx: Executor,
  payment: PaymentRow,
  attempt: {
    charge: AttemptCharge;
    method: PaymentMethodValue;
    amountCaptured: number;
    balanceTransactionId: string | null;
  },
  now: Date,
): Promise<ChargeRow> {
  const charge = await writeAttemptCharge(
    tx,
    payment,
    attempt.charge,
    {
      status: 'succeeded',
      method: attempt.method,
      amountCaptured: attempt.amountCaptured,
      captured: attempt.amountCaptured > 0,
      balanceTransactionId: attempt.balanceTransactionId,
      outcome: approved,
    },
    now,
  );
  await recordChargeEvent(tx, 'charge.succeeded', charge, payment, now);
  return charge;
}

/** The payment's succeeded Charge, which captures, refunds and releases change. */
async function succeededChargeOf(
  tx: Executor,
  payment: PaymentRow,
): Promise<ChargeRow | undefined> {
  if (!payment.latestChargeId) return undefined;
  const charge = await findScopedCharge(tx, scopeOf(payment), payment.latestChargeId, {
    lock: true,
  });
  return charge?.status === 'succeeded' ? charge : undefined;
}

/** The held Charge of a manual-capture payment is captured (all or `amount` of it). */
export async function recordChargeCapture(
  tx: Executor,
  payment: PaymentRow,
  capture: { amount: number; balanceTransactionId: string },
  now: Date,
): Promise<void> {
  const charge = await succeededChargeOf(tx, payment);
  if (!charge) return;
  const captured = await updateScopedCharge(tx, scopeOf(payment), charge.id, {
    amountCaptured: capture.amount,
    captured: true,
    balanceTransactionId: capture.balanceTransactionId,
    updatedAt: now,
  });
  await recordChargeEvent(tx, 'charge.captured', captured, payment, now);
}

/** A refund of the payment: the Charge's amount_refunded grows, refunded once all is back. */
export async function recordChargeRefund(
  tx: Executor,
  payment: PaymentRow,
  amount: number,
  now: Date,
): Promise<void> {
  const charge = await succeededChargeOf(tx, payment);
  if (!charge) return;
  const amountRefunded = charge.amountRefunded + amount;
  const refunded = await updateScopedCharge(tx, scopeOf(payment), charge.id, {
    amountRefunded,
    refunded: amountRefunded >= charge.amountCaptured,
    updatedAt: now,
  });
  await recordChargeEvent(tx, 'charge.refunded', refunded, payment, now);
}

/**
 * An authorization canceled (charge.refunded) or expired (charge.expired): as in Stripe, the
 * uncaptured Charge is refunded in full.
 */
export async function recordChargeRelease(
  tx: Executor,
  payment: PaymentRow,
  type: 'charge.refunded' | 'charge.expired',
  now: Date,
): Promise<void> {
  const charge = await succeededChargeOf(tx, payment);
  if (!charge || charge.captured) return;
  const released = await updateScopedCharge(tx, scopeOf(payment), charge.id, {
    amountRefunded: charge.amount,
    refunded: true,
    updatedAt: now,
  });
  await recordChargeEvent(tx, type, released, payment, now);
}
