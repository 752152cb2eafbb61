import express, { type Response, type Router } from 'express';
import {
  AppError,
  listRoute,
  parseInput,
  pathId,
  postRoute,
  secretKeyScope,
} from '@expe/server-kit';
import { createQrCodeInputSchema, payQrCodeInputSchema, z } from '@expe/contracts';
import type { Scope } from '@expe/server-kit';
import { closeQrCode } from '../domain/close-qr-code.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createQrCode } from '../domain/create-qr-code.js';
import { getQrCode, listMerchantQrCodes, listQrCodePayments } from '../domain/get-qr-code.js';
import { buildQrUpiUri, toQrCodeResource } from '../domain/checkout-resources.js';
import { payQrCode } from '../domain/pay-qr-code.js';
import { toPaymentResource } from '../../payments/domain/resources.js';
import { paymentDeclined } from '../../payments/domain/payment-errors.js';
import { sandboxVpaOutcome } from '../../payments/domain/sandbox-outcomes.js';
import { emptyBodySchema, parsePageQuery, parseQrCodesQuery } from '../../shared/http/queries.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';
import {
  createForMerchantRoute,
  listAndRetrieveRoutes,
  objectPostRoute,
  sendQrImage,
} from '../../shared/http/route-helpers.js';

const qrCode = { prefix: 'qr', what: 'qr_code' };

const imageQuerySchema = z.strictObject({ format: z.enum(['png', 'svg']).default('png') });

/** Test helpers exist in test mode only: to a live key they are not there at all (404). */
function testModeScope(res: Response): Scope {
  const scope = secretKeyScope(res);
  if (scope.mode !== 'test') {
    throw AppError.of('route_not_found', 'Test helpers exist in test mode only: use a test key');
  }
  return scope;
}

/** UPI QR codes and the test helper that pays one as a UPI app would. */
export function qrCodeRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, clock, links, metrics } = ctx;

  createForMerchantRoute(
    router,
    ctx,
    '/v1/qr_codes',
    createQrCodeInputSchema,
    createQrCode,
    toQrCodeResource,
  );

  listAndRetrieveRoutes(router, '/v1/qr_codes', {
    id: qrCode,
    parse: parseQrCodesQuery,
    list: (scope, { status, page }) => listMerchantQrCodes(db, { ...scope, status }, page),
    get: (scope, id) => getQrCode(db, scope, id),
    render: toQrCodeResource,
  });

  router.get('/v1/qr_codes/:id/image', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, qrCode.prefix, qrCode.what);
    const { format } = parseInput(imageQuerySchema, req.query);
    await sendQrImage(res, buildQrUpiUri(await getQrCode(db, scope, id)), format);
  });

  listRoute(
    router,
    '/v1/qr_codes/:id/payments',
    (query) => parsePageQuery(query, 'pay'),
    (scope, page, id) => listQrCodePayments(db, scope, id, page),
    (row) => toPaymentResource(row, links),
    qrCode,
  );

  objectPostRoute(
    router,
    '/v1/qr_codes/:id/close',
    { body: emptyBodySchema, id: qrCode },
    async (tx, { scope, id }) => closeQrCode(tx, scope, id, await clock.now(tx, scope)),
    toQrCodeResource,
  );

  postRoute(router, '/v1/test_helpers/qr_codes/:id/pay', {
    parse: (req, res) => {
      const scope = testModeScope(res);
      const id = pathId(req, qrCode.prefix, qrCode.what);
      const input = parseInput(payQrCodeInputSchema, req.body);
      assertMaxAmount(input.amount, config.MAX_AMOUNT);
      return { scope, id, input, outcome: sandboxVpaOutcome(input.vpa, 'vpa') };
    },
    run: async (tx, { scope, id, input, outcome }) => {
      const result = await payQrCode(tx, links, {
        scope,
        qrCodeId: id,
        input,
        outcome,
        clock,
        expirySeconds: config.PAYMENT_EXPIRY_SECONDS,
        pendingDelayMs: config.UPI_PENDING_DELAY_MS,
      });
      const payment = result.payment;
      if (result.kind === 'confirmed') {
        return {
          status: 201,
          body: toPaymentResource(payment, links),
          onCommit: () => {
            metrics.paymentCreated(payment);
            if (payment.status === 'succeeded') metrics.paymentSucceeded(payment);
          },
        };
      }
      return {
        refusal: paymentDeclined(payment, result.error, links),
        onCommit: () => metrics.paymentFailed(payment, result.error.code),
      };
    },
  });

  return router;
}
