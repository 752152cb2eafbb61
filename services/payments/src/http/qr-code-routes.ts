import express, { type Response, type Router } from 'express';
import QRCode from 'qrcode';
import { AppError, parseInput } from '@expe/server-kit';
import { createQrCodeInputSchema, payQrCodeInputSchema, z } from '@expe/contracts';
import type { MerchantScope } from '../db/payment-repository.js';
import { closeQrCode } from '../domain/close-qr-code.js';
import type { PaymentsContext } from '../domain/context.js';
import { getPaymentMerchant } from '../domain/create-payment.js';
import { createQrCode } from '../domain/create-qr-code.js';
import { getQrCode, listMerchantQrCodes, listQrCodePayments } from '../domain/get-qr-code.js';
import {
  buildQrUpiUri,
  createInstrumentUrls,
  toQrCodeResource,
} from '../domain/instrument-resources.js';
import { payQrCode } from '../domain/pay-qr-code.js';
import { toPaymentResource } from '../domain/resources.js';
import { sandboxVpas, upiOutcome } from '../domain/sandbox.js';
import { parsePageQuery, parseQrCodesQuery } from './instrument-queries.js';
import { emptyBodySchema } from './queries.js';
import {
  assertMaxAmount,
  idempotencyScope,
  pathId,
  secretKeyScope,
  sendIdempotent,
  toListResource,
} from './route-helpers.js';

const imageQuerySchema = z.strictObject({ format: z.enum(['png', 'svg']).default('png') });

/** Test helpers exist in test mode only: to a live key they are not there at all (404). */
function testModeScope(res: Response): MerchantScope {
  const scope = secretKeyScope(res);
  if (scope.mode !== 'test') {
    throw AppError.of('route_not_found', 'Test helpers exist in test mode only: use a test key');
  }
  return scope;
}

/** UPI QR codes (DESIGN §9) and the test helper that pays one as a UPI app would. */
export function qrCodeRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, clock, links, metrics } = ctx;
  const urls = createInstrumentUrls(config.CHECKOUT_BASE_URL);

  router.post('/v1/qr_codes', async (req, res) => {
    const scope = secretKeyScope(res);
    const input = parseInput(createQrCodeInputSchema, req.body);
    assertMaxAmount(input.amount, config.MAX_AMOUNT);
    const merchant = await getPaymentMerchant(ctx.merchants, scope.merchantId);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const now = await clock.now(tx, scope);
      const qr = await createQrCode(tx, { merchant, mode: scope.mode, input, now, urls });
      return { status: 201, body: toQrCodeResource(qr) };
    });
  });

  router.get('/v1/qr_codes', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parseQrCodesQuery(req.query);
    const page = await listMerchantQrCodes(db, { ...scope, status: query.status }, query.page);
    res.json(toListResource(page, toQrCodeResource));
  });

  router.get('/v1/qr_codes/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'qr', 'qr_code');
    res.json(toQrCodeResource(await getQrCode(db, scope, id)));
  });

  router.get('/v1/qr_codes/:id/image', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'qr', 'qr_code');
    const { format } = parseInput(imageQuerySchema, req.query);
    const uri = buildQrUpiUri(await getQrCode(db, scope, id));
    // What the code says never changes, so whoever may see it may cache it.
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
  });

  router.get('/v1/qr_codes/:id/payments', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'qr', 'qr_code');
    const page = await listQrCodePayments(db, scope, id, parsePageQuery(req.query, 'pay'));
    res.json(toListResource(page, (row) => toPaymentResource(row, links)));
  });

  router.post('/v1/qr_codes/:id/close', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'qr', 'qr_code');
    parseInput(emptyBodySchema, req.body ?? {});
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const now = await clock.now(tx, scope);
      return { status: 200, body: toQrCodeResource(await closeQrCode(tx, scope, id, now)) };
    });
  });

  router.post('/v1/test_helpers/qr_codes/:id/pay', async (req, res) => {
    const scope = testModeScope(res);
    const id = pathId(req, 'qr', 'qr_code');
    const input = parseInput(payQrCodeInputSchema, req.body);
    assertMaxAmount(input.amount, config.MAX_AMOUNT);
    const outcome = upiOutcome(input.vpa);
    if (!outcome) {
      throw AppError.of(
        'parameter_invalid',
        `Invalid vpa: use a sandbox UPI address (${sandboxVpas.join(', ')})`,
        { param: 'vpa' },
      );
    }
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
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
        status: 402,
        body: {
          error: {
            ...result.error,
            payment: toPaymentResource(payment, links),
            request_id: res.locals.requestId,
          },
        },
        onCommit: () => metrics.paymentFailed(payment, result.error.code),
      };
    });
  });

  return router;
}
