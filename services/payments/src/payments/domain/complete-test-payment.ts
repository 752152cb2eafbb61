import type { Scope } from '@expe/server-kit';
import { notFound, type Executor } from '@expe/server-kit';
import { lockPayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import { settleSuccessfulAttempt } from './capture-payment.js';
import { recordFailedCharge } from './charges.js';
import type { Clock } from '../../shared/domain/clock.js';
import { recordPaymentEvent } from './payment-events.js';
import { paymentUnexpectedState } from './payment-errors.js';
import { upiTransactionFailed } from './sandbox-outcomes.js';

/**
 * Test helper: settles a `processing` payment now, as its bank eventually would. succeeded moves
 * the money (or, with manual capture, authorizes it); failed records the bank's failure and the
 * payment can be paid again.
 */
export async function completeTestPayment(
  tx: Executor,
  clock: Clock,
  scope: Scope,
  paymentId: string,
  outcome: 'succeeded' | 'failed',
): Promise<PaymentRow> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.projectId !== scope.projectId || payment.mode !== scope.mode) {
    throw notFound('payment', paymentId);
  }
  if (payment.status !== 'processing') throw paymentUnexpectedState(payment, 'complete');
  const now = await clock.now(tx, scope);
  const source = { method: payment.method ?? 'upi', payerUserId: null };
  if (outcome === 'succeeded') return settleSuccessfulAttempt(tx, payment, source, now);
  const failed = await updatePayment(tx, payment.id, {
    status: 'requires_payment_method',
    processingDueAt: null,
    lastPaymentError: upiTransactionFailed,
    failedAttempts: payment.failedAttempts + 1,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.failed', failed, now);
  return recordFailedCharge(tx, failed, source.method, upiTransactionFailed, now);
}
