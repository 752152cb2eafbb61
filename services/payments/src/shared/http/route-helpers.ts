import type { Response, Router } from 'express';
import QRCode from 'qrcode';
import {
  idempotencyScope,
  listRoute,
  merchantPostRoute,
  retrieveRoute,
  secretKeyScope,
  type IdKind,
  type MerchantPost,
  type Page,
  type Scope,
  type Transaction,
} from '@expe/server-kit';
import type { z } from '@expe/contracts';
import type { PaymentsContext } from '../domain/context.js';
import { getPaymentMerchant, type PaymentMerchant } from '../../payments/domain/create-payment.js';
import {
  createInstrumentUrls,
  type InstrumentUrls,
} from '../../checkout/domain/checkout-resources.js';
import type { PaymentAccess } from '../../payments/domain/get-payment.js';
import { assertMaxAmount } from '../domain/amount-limit.js';

// Routes are written with the kit's route kit (`postRoute`, `merchantPostRoute`, `listRoute`,
// `retrieveRoute`, `pathId`; idempotency mounted once by createServiceApp). What is here is
// payments' own: a resource's list and retrieve pair, a POST that answers 200 with the object,
// reading a payment by client secret, QR images, objects that show the merchant.

/**
 * GET `path` (a page of the secret key's objects) and GET `path/:id` (one of them, or 404),
 * both rendered the same way: the pair every payments resource has.
 */
export function listAndRetrieveRoutes<Query, Row>(
  router: Router,
  path: string,
  spec: {
    id: IdKind;
    parse: (query: unknown) => Query;
    list: (scope: Scope, query: Query) => Promise<Page<Row>>;
    get: (scope: Scope, id: string) => Promise<Row>;
    render: (row: Row) => unknown;
  },
): void {
  listRoute(router, path, spec.parse, (scope, query) => spec.list(scope, query), spec.render);
  retrieveRoute(router, `${path}/:id`, spec.id, spec.get, spec.render);
}

/**
 * POST `path` with a secret key ({@link merchantPostRoute}, idempotent) whose use case changes
 * one object and returns it: 200 with the object rendered.
 */
export function objectPostRoute<Schema extends z.ZodType, Row>(
  router: Router,
  path: string,
  spec: { body: Schema; id: IdKind },
  change: (tx: Transaction, post: MerchantPost<z.output<Schema>, void>) => Promise<Row>,
  render: (row: Row) => unknown,
): void {
  merchantPostRoute(router, path, spec, async (tx, post) => ({
    status: 200,
    body: render(await change(tx, post)),
  }));
}

/**
 * Reading a payment: with `client_secret` (the checkout page, any caller), or else as the
 * merchant with a secret key of the payment's project and mode.
 */
export function paymentAccess(res: Response, clientSecret: string | undefined): PaymentAccess {
  if (clientSecret !== undefined) return { kind: 'client_secret', clientSecret };
  return { kind: 'merchant', scope: secretKeyScope(res) };
}

/**
 * Whose Idempotency-Keys a payer's request uses: the caller's, or for an anonymous checkout page
 * the object it pays (`anon:<id>`), so two pages never share keys.
 */
export function checkoutIdempotencyScope(res: Response, command: { id: string }): string {
  return idempotencyScope(res.locals.principal, { anonymous: command.id });
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
