import { AppError, notFound, type Executor, type Scope } from '@expe/server-kit';
import type { CaptureChargeInput } from '@expe/contracts';
import { findScopedCharge, type ChargeRow } from '../db/charge-repository.js';
import { lockPayment, type PaymentRow } from '../db/payment-repository.js';
import { captureAuthorization } from './capture-authorization.js';
import type { Clock } from '../../shared/domain/clock.js';

/**
 * Captures an uncaptured charge, which is capturing its payment (capture_method manual): all
 * that is held, or `amount` of it, the rest released. The payment's row lock is taken first, as
 * every change of a charge takes it, so concurrent captures of the charge and of its payment see
 * each other.
 */
export async function captureCharge(
  tx: Executor,
  clock: Clock,
  scope: Scope,
  id: string,
  input: CaptureChargeInput,
): Promise<{ charge: ChargeRow; payment: PaymentRow }> {
  const found = await findScopedCharge(tx, scope, id);
  if (!found) throw notFound('charge', id);
  const payment = await lockPayment(tx, found.paymentId);
  const charge = await findScopedCharge(tx, scope, id);
  if (!payment || !charge) throw notFound('charge', id);
  if (charge.status !== 'succeeded' || charge.captured || payment.latestChargeId !== charge.id) {
    throw AppError.of(
      'payment_unexpected_state',
      charge.captured
        ? `Charge ${charge.id} has already been captured`
        : `Charge ${charge.id} cannot be captured because it has a status of ${charge.status}${charge.refunded ? ' and was released' : ''}`,
    );
  }
  if (input.amount !== undefined && input.amount > payment.amountCapturable) {
    throw AppError.of(
      'amount_to_capture_invalid',
      `Invalid amount: it must be at most what the charge holds (${payment.amountCapturable})`,
      { param: 'amount' },
    );
  }
  const captured = await captureAuthorization(tx, clock, scope, payment.id, input.amount);
  return { charge: await getCapturedCharge(tx, scope, id), payment: captured };
}

async function getCapturedCharge(tx: Executor, scope: Scope, id: string): Promise<ChargeRow> {
  const charge = await findScopedCharge(tx, scope, id);
  if (!charge) throw new Error(`charge ${id} vanished while its payment was locked`);
  return charge;
}
