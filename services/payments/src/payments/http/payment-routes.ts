import express, { type Router } from 'express';
import {
  AppError,
  keyScope,
  listRoute,
  merchantPostRoute,
  parseInput,
  pathId,
  postRoute,
  unixSeconds,
  type Principal,
} from '@expe/server-kit';
import {
  authenticatePaymentInputSchema,
  capturePaymentInputSchema,
  confirmPaymentInputSchema,
  createPaymentInputSchema,
  updatePaymentInputSchema,
} from '@expe/contracts';
import { authenticatePayment } from '../domain/authenticate-payment.js';
import { cancelPayment } from '../domain/cancel-payment.js';
import { captureAuthorization } from '../domain/capture-authorization.js';
import {
  assertConfirmCaller,
  confirmPayment,
  secretKeyScopeOf,
} from '../domain/confirm-payment.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createPayment, getPaymentMerchant } from '../domain/create-payment.js';
import { getPaymentTimeline } from '../../events/domain/get-event.js';
import { getPayment, listMerchantPayments } from '../domain/get-payment.js';
import {
  chargeSavedCard,
  payWithPaymentMethod,
  resolvePaymentInstruments,
} from '../domain/payment-instruments.js';
import { toPaymentResource } from '../domain/resources.js';
import { updatePaymentDetails } from '../domain/update-payment.js';
import { paymentDeclined } from '../domain/payment-errors.js';
import { confirmOutcome } from '../domain/sandbox-outcomes.js';
import { describeCard, offSessionOutcome } from '../../instruments/domain/saved-cards.js';
import { buildUpiUri } from '../domain/upi-uri.js';
import {
  clientSecretQuerySchema,
  emptyBodySchema,
  parsePaymentsQuery,
  qrQuerySchema,
} from '../../shared/http/queries.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';
import {
  checkoutIdempotencyScope,
  objectPostRoute,
  paymentAccess,
  sendQrImage,
} from '../../shared/http/route-helpers.js';

const paymentKind = { prefix: 'pay', what: 'payment' };

export function paymentRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, links, config, metrics } = ctx;
  const toResource = (row: Parameters<typeof toPaymentResource>[0]) =>
    toPaymentResource(row, links);

  merchantPostRoute(
    router,
    '/v1/payments',
    {
      body: createPaymentInputSchema,
      check: (input) => assertMaxAmount(input.amount, config.MAX_AMOUNT),
      // After the replay check: a replay does not ask the merchants service.
      prepare: (scope) => getPaymentMerchant(ctx.merchants, scope.merchantId),
    },
    async (tx, { scope, input, prepared: merchant }) => {
      // The customer and saved card it names are checked first: a refusal writes nothing.
      const { instruments, savedCard } = await resolvePaymentInstruments(tx, scope, input);
      const payment = await createPayment(tx, {
        merchant,
        scope,
        input,
        expirySeconds: config.PAYMENT_EXPIRY_SECONDS,
        clock: ctx.clock,
        instruments,
      });
      if (!input.confirm || !savedCard) {
        return {
          status: 201,
          body: toResource(payment),
          onCommit: () => metrics.paymentCreated(payment),
        };
      }
      // confirm: true charges the saved card at once; a decline is 402 as for a confirm.
      const result = await chargeSavedCard(tx, links, {
        payment,
        savedCard,
        scope,
        clock: ctx.clock,
        pendingDelayMs: config.UPI_PENDING_DELAY_MS,
      });
      const charged = result.payment;
      if (result.kind === 'confirmed') {
        return {
          status: 201,
          body: toResource(charged),
          onCommit: () => {
            metrics.paymentCreated(charged);
            if (charged.status === 'succeeded') metrics.paymentSucceeded(charged);
          },
        };
      }
      return {
        refusal: paymentDeclined(charged, result.error, links),
        onCommit: () => {
          metrics.paymentCreated(charged);
          metrics.paymentFailed(charged, result.error.code);
        },
      };
    },
  );

  listRoute(
    router,
    '/v1/payments',
    parsePaymentsQuery,
    (scope, query) =>
      listMerchantPayments(
        db,
        scope,
        { status: query.status, customerId: query.customerId, created: query.created },
        query.page,
      ),
    toResource,
  );

  router.get('/v1/payments/:id', async (req, res) => {
    const id = pathId(req, paymentKind.prefix, paymentKind.what);
    const { client_secret } = parseInput(clientSecretQuerySchema, req.query);
    const payment = await getPayment(db, links, id, paymentAccess(res, client_secret));
    res.json(toResource(payment));
  });

  objectPostRoute(
    router,
    '/v1/payments/:id',
    { body: updatePaymentInputSchema, id: paymentKind },
    (tx, { scope, id, input }) => updatePaymentDetails(tx, scope, id, input),
    toResource,
  );

  postRoute(router, '/v1/payments/:id/confirm', {
    parse: (req, res) => {
      const id = pathId(req, paymentKind.prefix, paymentKind.what);
      const input = parseInput(confirmPaymentInputSchema, req.body);
      const outcome = confirmOutcome(input);
      const principal = res.locals.principal;
      assertConfirmCaller(input, principal);
      return { id, input, outcome, principal };
    },
    scope: checkoutIdempotencyScope,
    run: async (tx, { id, input, outcome, principal }) => {
      // Or a PaymentMethod of the project (secret key): its stored card decides the outcome.
      const paid = input.payment_method
        ? await payWithPaymentMethod(tx, secretKeyScopeOf(principal), id, input.payment_method)
        : undefined;
      const attempt = paid?.outcome ?? outcome;
      const result = await confirmPayment(tx, links, {
        paymentId: id,
        clientSecret: input.client_secret,
        method: input.method,
        outcome: input.off_session ? offSessionOutcome(attempt) : attempt,
        walletOwnerId: principal.kind === 'user' ? principal.userId : undefined,
        keyScope: keyScopeOf(principal),
        pendingDelayMs: config.UPI_PENDING_DELAY_MS,
        clock: ctx.clock,
        cardExpiry:
          paid?.expiry ??
          (input.card && { month: input.card.exp_month, year: input.card.exp_year }),
        // Brand, last four, expiry and sandbox token only, to save the card if the payment asks.
        card: input.card && describeCard(input.card),
      });
      const payment = result.payment;
      if (result.kind === 'confirmed') {
        return {
          status: 200,
          body: toResource(payment),
          onCommit: () => {
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

  objectPostRoute(
    router,
    '/v1/payments/:id/cancel',
    { body: emptyBodySchema, id: paymentKind },
    (tx, { scope, id }) => cancelPayment(tx, ctx.clock, scope, id),
    toResource,
  );

  postRoute(router, '/v1/payments/:id/authenticate', {
    parse: (req, res) => ({
      id: pathId(req, paymentKind.prefix, paymentKind.what),
      input: parseInput(authenticatePaymentInputSchema, req.body),
      principal: res.locals.principal,
    }),
    scope: checkoutIdempotencyScope,
    run: async (tx, { id, input, principal }) => {
      const payment = await authenticatePayment(tx, links, {
        paymentId: id,
        clientSecret: input.client_secret,
        outcome: input.outcome,
        clock: ctx.clock,
        keyScope: keyScopeOf(principal),
      });
      return {
        status: 200,
        body: toResource(payment),
        onCommit: () => {
          if (payment.status === 'succeeded') metrics.paymentSucceeded(payment);
          if (payment.lastPaymentError)
            metrics.paymentFailed(payment, payment.lastPaymentError.code);
        },
      };
    },
  });

  merchantPostRoute(
    router,
    '/v1/payments/:id/capture',
    { body: capturePaymentInputSchema, id: paymentKind },
    async (tx, { scope, id, input }) => {
      const captured = await captureAuthorization(
        tx,
        ctx.clock,
        scope,
        id,
        input.amount_to_capture,
      );
      return {
        status: 200,
        body: toResource(captured),
        onCommit: () => metrics.paymentSucceeded(captured),
      };
    },
  );

  router.get('/v1/payments/:id/qr', async (req, res) => {
    const id = pathId(req, paymentKind.prefix, paymentKind.what);
    const query = parseInput(qrQuerySchema, req.query);
    const payment = await getPayment(db, links, id, paymentAccess(res, query.client_secret));
    const uri = buildUpiUri(payment);
    if (!uri) {
      throw AppError.of('parameter_invalid', 'Only INR payments have a UPI QR code', {
        param: 'id',
      });
    }
    await sendQrImage(res, uri, query.format);
  });

  router.get('/v1/payments/:id/timeline', async (req, res) => {
    const id = pathId(req, paymentKind.prefix, paymentKind.what);
    const { client_secret } = parseInput(clientSecretQuerySchema, req.query);
    await getPayment(db, links, id, paymentAccess(res, client_secret));
    const timeline = await getPaymentTimeline(db, id);
    res.json({
      object: 'list',
      data: timeline.entries.map((entry) => ({
        object: 'timeline_entry',
        type: entry.type,
        status: entry.status,
        event: entry.eventId,
        created: unixSeconds(entry.createdAt),
      })),
      has_more: timeline.hasMore,
    });
  });

  return router;
}

/** An API key may confirm only its own project's payments in its own mode (either key type). */
function keyScopeOf(principal: Principal) {
  return principal.kind === 'api_key' ? keyScope(principal) : undefined;
}
