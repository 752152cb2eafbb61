import express, { type Router } from 'express';
import {
  merchantPostRoute,
  parseInput,
  pathId,
  secretKeyScope,
  toListResource,
  toPageRequest,
} from '@expe/server-kit';
import {
  createCheckoutSessionInputSchema,
  listCheckoutLineItemsQuerySchema,
  listCheckoutSessionsQuerySchema,
} from '@expe/contracts';
import {
  pageOfLineItems,
  toCheckoutLineItemResource,
  toCheckoutSessionResource,
} from '../domain/checkout-resources.js';
import {
  createCheckoutSession,
  getCheckoutSession,
  listCheckoutSessions,
} from '../domain/create-checkout-session.js';
import { getPaymentMerchant } from '../../payments/domain/create-payment.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { expireCheckoutSession } from '../domain/expire-checkout-session.js';
import { emptyBodySchema } from '../../shared/http/queries.js';
import { listAndRetrieveRoutes, objectPostRoute } from '../../shared/http/route-helpers.js';

/** A session's id carries its mode, as Stripe's: `cs_test_…`, `cs_live_…`. */
const checkoutSession = { prefix: 'cs_(?:test|live)', what: 'checkout_session' };

/** Checkout Sessions: a cart paid on the hosted checkout page. */
export function checkoutSessionRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, links, clock, config, metrics } = ctx;
  const toResource = (row: Parameters<typeof toCheckoutSessionResource>[0]) =>
    toCheckoutSessionResource(row, links);

  merchantPostRoute(
    router,
    '/v1/checkout/sessions',
    {
      body: createCheckoutSessionInputSchema,
      // After the replay check: a replay does not ask the merchants service.
      prepare: (scope) => getPaymentMerchant(ctx.merchants, scope.merchantId),
    },
    async (tx, { scope, input, prepared: merchant }) => {
      const { session, payment } = await createCheckoutSession(tx, {
        merchant,
        scope,
        input,
        clock,
        maxAmount: config.MAX_AMOUNT,
      });
      return {
        status: 201,
        body: toResource(session),
        onCommit: () => metrics.paymentCreated(payment),
      };
    },
  );

  listAndRetrieveRoutes(router, '/v1/checkout/sessions', {
    id: checkoutSession,
    parse: (query) => parseInput(listCheckoutSessionsQuerySchema, query),
    list: (scope, query) =>
      listCheckoutSessions(db, scope, toPageRequest(query), {
        paymentId: query.payment_intent,
        customerId: query.customer,
        status: query.status,
      }),
    get: (scope, id) => getCheckoutSession(db, { scope }, id),
    render: toResource,
  });

  // The merchant's key, or the hosted checkout page with its payment's client secret.
  router.get('/v1/checkout/sessions/:id/line_items', async (req, res) => {
    const id = pathId(req, checkoutSession.prefix, checkoutSession.what);
    const query = parseInput(listCheckoutLineItemsQuerySchema, req.query);
    const access =
      query.client_secret !== undefined
        ? { links, clientSecret: query.client_secret }
        : { scope: secretKeyScope(res) };
    const session = await getCheckoutSession(db, access, id);
    const page = pageOfLineItems(session.lineItems, toPageRequest(query));
    res.json(toListResource(page, toCheckoutLineItemResource));
  });

  objectPostRoute(
    router,
    '/v1/checkout/sessions/:id/expire',
    { body: emptyBodySchema, id: checkoutSession },
    (tx, { scope, id }) => expireCheckoutSession(tx, clock, scope, id),
    toResource,
  );

  return router;
}
