import type { Scope } from '@expe/server-kit';
import { AppError, notFound, type Executor } from '@expe/server-kit';
import { lockPayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import { settleSuccessfulAttempt } from './capture-payment.js';
import type { Clock } from '../../shared/domain/clock.js';
import { recordPaymentEvent } from './payment-events.js';
import { paymentUnexpectedState } from './payment-errors.js';
import type { PaymentLinks } from './resources.js';
import { authenticationFailed } from './sandbox-outcomes.js';

export interface AuthenticatePaymentCommand {
  paymentId: string;
  clientSecret: string;
  outcome: 'complete' | 'fail';
  clock: Clock;
  /** Set when an API key calls: it must belong to the payment's merchant and mode. */
  keyScope?: Scope | undefined;
}

/**
 * The payer's answer to the sandbox's 3-D Secure challenge (the hosted page calls this with the
 * payment's client secret). complete: the card pays (or, with manual capture, is authorized);
 * fail: the attempt fails with `authentication_failed` and the payment can be paid again.
 */
export async function authenticatePayment(
  tx: Executor,
  links: PaymentLinks,
  command: AuthenticatePaymentCommand,
): Promise<PaymentRow> {
  const { paymentId } = command;
  const payment = await lockPayment(tx, paymentId);
  const isOwnKey =
    !command.keyScope ||
    (payment?.projectId === command.keyScope.projectId && payment.mode === command.keyScope.mode);
  if (!payment || !isOwnKey || !links.isClientSecretOf(paymentId, command.clientSecret)) {
    throw notFound('payment', paymentId);
  }
  if (payment.status !== 'requires_action') throw paymentUnexpectedState(payment, 'authenticate');
  const now = await command.clock.now(tx, { projectId: payment.projectId, mode: payment.mode });
  if (payment.expiresAt <= now) {
    throw AppError.of(
      'payment_unexpected_state',
      'You cannot authenticate this payment because it has expired',
    );
  }
  if (command.outcome === 'complete') {
    return settleSuccessfulAttempt(tx, payment, { method: 'card', payerUserId: null }, now);
  }
  const failed = await updatePayment(tx, payment.id, {
    status: 'requires_payment_method',
    lastPaymentError: authenticationFailed,
    failedAttempts: payment.failedAttempts + 1,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.failed', failed, now);
  return failed;
}
