import { scopeOf } from '../../shared/domain/scope-of.js';
import { AppError, notFound, type Executor } from '@expe/server-kit';
import type { PayQrCodeInput } from '@expe/contracts';
import type { Scope } from '@expe/server-kit';
import { countOpenQrCodePayments, findScopedQrCode } from '../db/qr-code-repository.js';
import { cancelPayment } from '../../payments/domain/cancel-payment.js';
import type { Clock } from '../../shared/domain/clock.js';
import {
  confirmPayment,
  type ConfirmPaymentResult,
} from '../../payments/domain/confirm-payment.js';
import { createPayment } from '../../payments/domain/create-payment.js';
import type { PaymentLinks } from '../../payments/domain/resources.js';
import type { AttemptOutcome } from '../../payments/domain/sandbox-outcomes.js';

export interface PayQrCodeCommand {
  scope: Scope;
  qrCodeId: string;
  input: PayQrCodeInput;
  /** What the sandbox UPI bank says about the payer's VPA. */
  outcome: AttemptOutcome;
  clock: Clock;
  expirySeconds: number;
  pendingDelayMs: number;
}

/**
 * A UPI app pays the QR code (test helper): a payment linked to the code is created and paid by
 * UPI in one transaction. Success credits the code (settlePaymentInstruments); a declined UPI
 * transaction is final, as at a real counter, so its payment is canceled and the code stays open.
 */
export async function payQrCode(
  tx: Executor,
  links: PaymentLinks,
  command: PayQrCodeCommand,
): Promise<ConfirmPaymentResult> {
  const { scope, input, clock } = command;
  const qr = await findScopedQrCode(tx, scope, command.qrCodeId, { lock: true });
  if (!qr) throw notFound('qr_code', command.qrCodeId);
  const now = await clock.now(tx, scope);
  if (qr.status === 'closed' || (qr.closeBy && qr.closeBy <= now)) {
    throw AppError.of('qr_code_closed', 'This QR code is closed and accepts no more payments', {
      param: 'id',
    });
  }
  if (qr.fixedAmount && input.amount !== qr.amount) {
    throw AppError.of(
      'qr_code_amount_mismatch',
      `Invalid amount: this QR code is for exactly ${qr.amount} (fixed_amount)`,
      { param: 'amount' },
    );
  }
  // One payment in flight at a time on a single-use code (a pending UPI payment counts), so it
  // is never paid twice.
  if (qr.usage === 'single_use' && (await countOpenQrCodePayments(tx, qr.id)) > 0) {
    throw AppError.of(
      'qr_code_closed',
      'This single-use QR code already has a payment in progress',
      { param: 'id' },
    );
  }
  const payment = await createPayment(tx, {
    merchant: { id: qr.merchantId, name: qr.merchantName },
    scope: scopeOf(qr),
    input: { amount: input.amount, currency: 'inr', description: qr.description },
    expirySeconds: command.expirySeconds,
    clock,
    instruments: { qrCodeId: qr.id },
  });
  const result = await confirmPayment(tx, links, {
    paymentId: payment.id,
    clientSecret: links.clientSecret(payment.id),
    method: 'upi',
    outcome: command.outcome,
    keyScope: scope,
    pendingDelayMs: command.pendingDelayMs,
    clock,
  });
  if (result.kind === 'failed') {
    const canceled = await cancelPayment(tx, clock, scope, payment.id);
    return { ...result, payment: canceled };
  }
  return result;
}
