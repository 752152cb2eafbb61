import type { Request, Response, Router } from 'express';
import QRCode from 'qrcode';
import {
  AppError,
  idempotencyScope as kitIdempotencyScope,
  notFound,
  parseInput,
  secretKeyScope,
  sendIdempotent as sendIdempotentInKit,
  toListResource,
  type EffectResult,
  type Page,
  type Principal,
} from '@expe/server-kit';
import type { z } from '@expe/contracts';
import { paymentsIdempotencyStore } from '../domain/idempotency.js';
import type { Scope, Transaction } from '@expe/server-kit';
import type { PaymentsContext } from '../domain/context.js';
import { getPaymentMerchant, type PaymentMerchant } from '../../payments/domain/create-payment.js';
import {
  createInstrumentUrls,
  type InstrumentUrls,
} from '../../checkout/domain/checkout-resources.js';
import type { PaymentAccess } from '../../payments/domain/get-payment.js';

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
 * merchant with a secret key of the payment's project and mode.
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
 * GET `path`: a page of the secret key's project and mode. The route parses the query, calls
 * one use case and renders the kit's list object.
 */
export function listRoute<Query, Row>(
  router: Router,
  path: string,
  parse: (query: unknown) => Query,
  list: (scope: Scope, query: Query, id: string) => Promise<Page<Row>>,
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

/** GET `path` (ending in `/:id`): one object of the secret key's project and mode, or 404. */
export function retrieveRoute<Row>(
  router: Router,
  path: string,
  kind: IdKind,
  get: (scope: Scope, id: string) => Promise<Row>,
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
  scope: Scope;
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
    prepare?: (scope: Scope, input: z.output<Schema>) => Promise<Prepared>;
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

/**
 * Sends a UPI link as a QR image, PNG or SVG. What a code says never changes, so whoever may see
 * it may cache it.
 */
export async function sendQrImage(
  res: Response,
  uri: string,
  format: 'png' | 'svg',
): Promise<void> {
  res.setHeader('Cache-Control', 'private, max-age=300');
  if (format === 'svg') {
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.type('image/svg+xml').send(svg);
    return;
  }
  const png = await QRCode.toBuffer(uri, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 512,
  });
  res.type('image/png').send(png);
}

/**
 * POST `path` that creates an object showing the merchant's name (a payment link, a QR code):
 * the amount checked against the maximum, the merchant looked up only when the request is not a
 * replay, the merchant's clock read in the transaction, 201 with the object.
 */
export function createForMerchantRoute<
  Schema extends z.ZodType<{ amount?: number | undefined }>,
  Row,
>(
  router: Router,
  ctx: PaymentsContext,
  path: string,
  body: Schema,
  create: (
    tx: Transaction,
    command: {
      merchant: PaymentMerchant;
      scope: Scope;
      input: z.output<Schema>;
      now: Date;
      urls: InstrumentUrls;
    },
  ) => Promise<Row>,
  render: (row: Row) => unknown,
): void {
  const urls = createInstrumentUrls(ctx.config.CHECKOUT_BASE_URL);
  merchantPostRoute(
    router,
    ctx,
    path,
    {
      body,
      check: (input) => assertMaxAmount(input.amount, ctx.config.MAX_AMOUNT),
      prepare: (scope) => getPaymentMerchant(ctx.merchants, scope.merchantId),
    },
    async (tx, { scope, input, prepared: merchant }) => {
      const now = await ctx.clock.now(tx, scope);
      const row = await create(tx, { merchant, scope, input, now, urls });
      return { status: 201, body: render(row) };
    },
  );
}
