import { scopeOf } from '../../shared/domain/scope-of.js';
import type { Scope } from '@expe/server-kit';
import { AppError, newId, notFound, type Executor } from '@expe/server-kit';
import type { CreateRefundInput } from '@expe/contracts';
import { lockPayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import { findDisputeOfPayment } from '../../balance/db/dispute-repository.js';
import { insertRefund, type RefundRow } from '../db/refund-repository.js';
import { recordChargeRefund } from './charges.js';
import { recordRefundEvent } from './payment-events.js';
import { returnedFeeShare } from '../../balance/domain/fees.js';
import { InsufficientFundsError } from '../../ledger/index.js';
import { movePaymentMoney, payerOf, paymentCreditOf } from '../../balance/domain/payment-money.js';

/**
 * Gives back part or all of a succeeded payment: to the payer's wallet for wallet payments, to
 * the sandbox funding account for cards and UPI, out of the merchant's balance (pending while the
 * payment's funds are, else available), with the payment's fee in proportion. The payment row is
 * locked first, so concurrent refunds (and disputes) see each other and never exceed what was
 * paid. A payment under dispute, or whose dispute was lost, cannot be refunded.
 */
export async function createRefund(
  tx: Executor,
  scope: Scope,
  input: CreateRefundInput,
): Promise<{ refund: RefundRow; payment: PaymentRow }> {
  const now = new Date();
  const payment = await lockPayment(tx, input.payment);
  if (!payment || payment.projectId !== scope.projectId || payment.mode !== scope.mode) {
    throw notFound('payment', input.payment, 'payment');
  }
  if (payment.status !== 'succeeded') {
    throw AppError.of(
      'parameter_invalid',
      `Payment ${payment.id} cannot be refunded because it has a status of ${payment.status}`,
      { param: 'payment' },
    );
  }
  const dispute = await findDisputeOfPayment(tx, payment.id);
  if (dispute && dispute.status !== 'won') {
    throw AppError.of(
      'payment_disputed',
      `Payment ${payment.id} is disputed (${dispute.id}, ${dispute.status}): its money cannot be refunded`,
      { param: 'payment' },
    );
  }
  // What reached the merchant: a manual-capture payment captured in part refunds only that part.
  const remaining = payment.amountReceived - payment.amountRefunded;
  if (remaining === 0) {
    throw AppError.of('parameter_invalid', `Payment ${payment.id} is already fully refunded`, {
      param: 'payment',
    });
  }
  const amount = input.amount ?? remaining;
  if (amount > remaining) {
    throw AppError.of(
      'parameter_invalid',
      `Refund amount (${amount}) is greater than what remains to refund on the payment (${remaining})`,
      { param: 'amount' },
    );
  }

  const refundId = newId('re');
  const { captured, fee } = await paymentCreditOf(tx, payment);
  try {
    // Out of where the payment's money is now (pending or available), with its fee in proportion.
    await movePaymentMoney(tx, {
      payment,
      kind: 'refund',
      source: refundId,
      type: 'refund',
      amount: -amount,
      fee: -returnedFeeShare(
        fee,
        captured,
        payment.amountRefunded,
        payment.amountRefunded + amount,
      ),
      counterparty: payerOf(payment),
      now,
    });
  } catch (error) {
    if (!(error instanceof InsufficientFundsError)) throw error;
    throw AppError.of('balance_insufficient', 'Your Expe balance is too low to cover this refund', {
      param: 'amount',
      type: 'invalid_request_error',
    });
  }
  const refund = await insertRefund(tx, scopeOf(payment), {
    id: refundId,
    paymentId: payment.id,
    chargeId: payment.latestChargeId,
    amount,
    currency: payment.currency,
    status: 'succeeded',
    reason: input.reason ?? null,
    metadata: input.metadata ?? {},
    createdAt: now,
  });
  const refunded = await updatePayment(tx, payment.id, {
    amountRefunded: payment.amountRefunded + amount,
    updatedAt: now,
  });
  await recordRefundEvent(tx, refund, refunded, now);
  await recordChargeRefund(tx, refunded, amount, now);
  return { refund, payment: refunded };
}
