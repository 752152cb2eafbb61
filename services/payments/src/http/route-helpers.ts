import type { Request, Response } from 'express';
import {
  AppError,
  idempotencyScope as kitIdempotencyScope,
  notFound,
  requireSecretKey,
  sendIdempotent as sendIdempotentInKit,
  type EffectResult,
  type Principal,
} from '@expe/server-kit';
import { paymentsIdempotencyStore } from '../db/idempotency-repository.js';
import type { MerchantScope } from '../db/payment-repository.js';
import type { Transaction } from '../db/retry.js';
import type { PaymentsContext } from '../domain/context.js';
import type { PaymentAccess } from '../domain/get-payment.js';

/** The merchant and mode a secret key acts for: everything it touches is scoped by both. */
export function secretKeyScope(res: Response): MerchantScope {
  const key = requireSecretKey(res);
  return { merchantId: key.merchantId, mode: key.mode };
}

/** A malformed id names nothing, so it is answered like an unknown one. */
export function pathId(req: Request, prefix: string, what: string): string {
  const id = String(req.params.id ?? '');
  if (!new RegExp(`^${prefix}_[0-9a-z]{10,40}$`).test(id)) throw notFound(what, id.slice(0, 64));
  return id;
}

/** Amounts above the configured maximum are bad input on the named field. */
export function assertMaxAmount(amount: number | undefined, max: number, param = 'amount'): void {
  if (amount !== undefined && amount > max) {
    throw AppError.of('parameter_invalid', `Invalid ${param}: must be at most ${max}`, { param });
  }
}

/**
 * Reading a payment: with `client_secret` (the checkout page, any caller), or else as the
 * merchant with a secret key of the payment's merchant and mode.
 */
export function paymentAccess(res: Response, clientSecret: string | undefined): PaymentAccess {
  if (clientSecret !== undefined) return { kind: 'client_secret', clientSecret };
  return { kind: 'merchant', scope: secretKeyScope(res) };
}

/** Whose Idempotency-Keys a request uses (the kit's scopes; a checkout page's are its payment's). */
export function idempotencyScope(principal: Principal, paymentId?: string): string {
  return kitIdempotencyScope(principal, { anonymous: paymentId });
}

/**
 * Runs a POST's effect under its Idempotency-Key (the kit's implementation, answers in
 * payments.idempotency_keys) and sends the result. Call it only after the body is validated: a
 * request that fails validation leaves no trace.
 */
export function sendIdempotent(
  req: Request,
  res: Response,
  ctx: PaymentsContext,
  scope: string,
  effect: (tx: Transaction) => Promise<EffectResult>,
): Promise<void> {
  const options = {
    db: ctx.db,
    store: paymentsIdempotencyStore,
    scope,
    ttlSeconds: ctx.config.IDEMPOTENCY_TTL_SECONDS,
  };
  return sendIdempotentInKit(req, res, options, effect);
}

// The API's list object is the kit's, as in every service.
export { toListResource } from '@expe/server-kit';
