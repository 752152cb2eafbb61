import { AppError } from '@expe/server-kit';

/**
 * The configured maximum of one movement of money (`MAX_AMOUNT`): a business limit of every use
 * case that moves an amount (payments, refunds, captures, payouts, top-ups, transfers, payment
 * links and QR codes). It is checked before the request's Idempotency-Key is claimed (the route
 * kit's `check`), like the body's schema: a refusal is not stored, so the same key may carry the
 * corrected request.
 */
export function assertMaxAmount(amount: number | undefined, max: number, param = 'amount'): void {
  if (amount !== undefined && amount > max) {
    throw AppError.of('parameter_invalid', `Invalid ${param}: must be at most ${max}`, { param });
  }
}
