import type { Request, Response, Router } from 'express';
import {
  AppError,
  idempotencyScope as kitIdempotencyScope,
  notFound,
  parseInput,
  requireSecretKey,
  sendIdempotent as sendIdempotentInKit,
  toListResource,
  type EffectResult,
  type Page,
  type Principal,
} from '@expe/server-kit';
import type { z } from '@expe/contracts';
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
export function sendIdempotent<Prepared = void>(
  req: Request,
  res: Response,
  ctx: PaymentsContext,
  scope: string,
  effect: (tx: Transaction, prepared: Prepared) => Promise<EffectResult>,
  /** Remote calls (the merchants service): made only when the request is not a replay. */
  prepare?: () => Promise<Prepared>,
): Promise<void> {
  const options = {
    db: ctx.db,
    store: paymentsIdempotencyStore,
    scope,
    ttlSeconds: ctx.config.IDEMPOTENCY_TTL_SECONDS,
    prepare,
  };
  return sendIdempotentInKit(req, res, options, effect);
}

// The API's list object is the kit's, as in every service.
export { toListResource } from '@expe/server-kit';

/** The kind of object a route's `:id` names: its id prefix and its name in a 404. */
export interface IdKind {
  prefix: string;
  what: string;
}

/**
 * GET `path`: a page of the secret key's merchant and mode. The route parses the query, calls
 * one use case and renders the kit's list object.
 */
export function listRoute<Query, Row>(
  router: Router,
  path: string,
  parse: (query: unknown) => Query,
  list: (scope: MerchantScope, query: Query, id: string) => Promise<Page<Row>>,
  render: (row: Row) => unknown,
  /** For a list below one object (`/v1/customers/:id/payment_methods`). */
  of?: IdKind,
): void {
  router.get(path, async (req, res) => {
    const scope = secretKeyScope(res);
    const id = of ? pathId(req, of.prefix, of.what) : '';
    const query = parse(req.query);
    res.json(toListResource(await list(scope, query, id), render));
  });
}

/** GET `path` (ending in `/:id`): one object of the secret key's merchant and mode, or 404. */
export function retrieveRoute<Row>(
  router: Router,
  path: string,
  kind: IdKind,
  get: (scope: MerchantScope, id: string) => Promise<Row>,
  render: (row: Row) => unknown,
): void {
  router.get(path, async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, kind.prefix, kind.what);
    res.json(render(await get(scope, id)));
  });
}

/** What a merchant's POST gives its use case: the key's scope, the path's id, the parsed body. */
export interface MerchantPost<Input, Prepared> {
  scope: MerchantScope;
  /** The path's `:id` when the route names one, else ''. */
  id: string;
  input: Input;
  prepared: Prepared;
}

/**
 * POST `path` with a secret key, under its Idempotency-Key: the path id and the body are checked
 * first (a refused request leaves no trace), `prepare` makes the remote calls a replay must not,
 * and `effect` calls one use case in the request's transaction and says what to answer.
 */
export function merchantPostRoute<Schema extends z.ZodType, Prepared = void>(
  router: Router,
  ctx: PaymentsContext,
  path: string,
  spec: {
    body: Schema;
    id?: IdKind;
    /** Checks of the body beyond its schema (the configured maximum amount). */
    check?: (input: z.output<Schema>) => void;
    prepare?: (scope: MerchantScope, input: z.output<Schema>) => Promise<Prepared>;
  },
  effect: (
    tx: Transaction,
    post: MerchantPost<z.output<Schema>, Prepared>,
  ) => Promise<EffectResult>,
): void {
  router.post(path, async (req, res) => {
    const scope = secretKeyScope(res);
    const id = spec.id ? pathId(req, spec.id.prefix, spec.id.what) : '';
    const input = parseInput(spec.body, req.body ?? {});
    spec.check?.(input);
    const { prepare } = spec;
    await sendIdempotent<Prepared>(
      req,
      res,
      ctx,
      idempotencyScope(res.locals.principal),
      (tx, prepared) => effect(tx, { scope, id, input, prepared }),
      prepare && (() => prepare(scope, input)),
    );
  });
}
