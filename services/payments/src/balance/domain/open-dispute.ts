import { scopeOf } from '../../shared/domain/scope-of.js';
import { newId, type Executor } from '@expe/server-kit';
import { insertDispute, type DisputeRow } from '../db/dispute-repository.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import { returnedFeeShare } from './fees.js';
import { recordDisputeEvent } from './money-events.js';
import { movePaymentMoney, payerOf, paymentCreditOf } from './payment-money.js';

/** How long the merchant has to answer a dispute, on the project clock. */
export const evidenceWindowMs = 7 * 24 * 60 * 60 * 1000;

/**
 * The cardholder disputes a payment the caller has locked (the sandbox's dispute card): the
 * disputed amount — what was captured and not refunded — goes back to the payer out of the
 * merchant's balance, with the payment's fee in proportion, once (the `dispute` ledger movement
 * and `disputes_payment_unique` both refuse a second). Event `dispute.created`.
 */
export async function openDispute(
  tx: Executor,
  payment: PaymentRow,
  now: Date,
): Promise<DisputeRow> {
  const { captured, fee } = await paymentCreditOf(tx, payment);
  const amount = captured - payment.amountRefunded;
  const dispute = await insertDispute(tx, scopeOf(payment), {
    id: newId('dp'),
    paymentId: payment.id,
    chargeId: payment.latestChargeId,
    amount,
    currency: payment.currency,
    status: 'needs_response',
    reason: 'fraudulent',
    evidenceDueBy: new Date(now.getTime() + evidenceWindowMs),
    createdAt: now,
  });
  await recordDisputeEvent(tx, 'dispute.created', dispute, now);
  await movePaymentMoney(tx, {
    payment,
    kind: 'dispute',
    source: dispute.id,
    type: 'dispute',
    amount: -amount,
    fee: -returnedFeeShare(fee, captured, payment.amountRefunded, payment.amountRefunded + amount),
    counterparty: payerOf(payment),
    now,
  });
  return dispute;
}
