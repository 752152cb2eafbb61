import { notFound, type Executor } from '@expe/server-kit';
import {
  lockPayment,
  updatePayment,
  type MerchantScope,
  type PaymentRow,
} from '../db/payment-repository.js';
import { recordPaymentEvent } from './events.js';
import { paymentUnexpectedState } from './payment-errors.js';

/** The merchant gives up on an unpaid payment; only an open one can be canceled. */
export async function cancelPayment(
  tx: Executor,
  scope: MerchantScope,
  paymentId: string,
): Promise<PaymentRow> {
  const now = new Date();
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.merchantId !== scope.merchantId || payment.mode !== scope.mode) {
    throw notFound('payment', paymentId);
  }
  if (payment.status !== 'requires_payment_method') throw paymentUnexpectedState(payment, 'cancel');
  const canceled = await updatePayment(tx, payment.id, {
    status: 'canceled',
    canceledAt: now,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.canceled', canceled, now);
  return canceled;
}
