import express, { type Router } from 'express';
import { parseInput, pathId, postRoute } from '@expe/server-kit';
import { createPaymentLinkInputSchema, updatePaymentLinkInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { toPaymentLinkResource } from '../domain/checkout-resources.js';
import {
  createPaymentLink,
  getPaymentLink,
  listPaymentLinks,
  startPaymentLinkCheckout,
  updatePaymentLinkSettings,
} from '../domain/payment-link-checkout.js';
import { emptyBodySchema, parsePageQuery } from '../../shared/http/queries.js';
import {
  checkoutIdempotencyScope,
  createForMerchantRoute,
  listAndRetrieveRoutes,
  objectPostRoute,
} from '../../shared/http/route-helpers.js';

const paymentLink = { prefix: 'plink', what: 'payment_link' };

/** Payment links: a URL anyone may open to pay the merchant in the hosted checkout. */
export function paymentLinkRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, clock, links, metrics } = ctx;

  createForMerchantRoute(
    router,
    ctx,
    '/v1/payment_links',
    createPaymentLinkInputSchema,
    createPaymentLink,
    toPaymentLinkResource,
  );

  listAndRetrieveRoutes(router, '/v1/payment_links', {
    id: paymentLink,
    parse: (query) => parsePageQuery(query, 'plink'),
    list: (scope, page) => listPaymentLinks(db, scope, page),
    get: (scope, id) => getPaymentLink(db, scope, id),
    render: toPaymentLinkResource,
  });

  objectPostRoute(
    router,
    '/v1/payment_links/:id',
    { body: updatePaymentLinkInputSchema, id: paymentLink },
    async (tx, { scope, id, input }) =>
      updatePaymentLinkSettings(tx, scope, id, input, await clock.now(tx, scope)),
    toPaymentLinkResource,
  );

  // Public: the link's page calls it without credentials. It learns the payment to show and the
  // client secret the hosted checkout pays it with; never the merchant's other data.
  postRoute(router, '/v1/payment_links/:id/checkout', {
    parse: (req) => {
      const id = pathId(req, paymentLink.prefix, paymentLink.what);
      parseInput(emptyBodySchema, req.body ?? {});
      return { id };
    },
    scope: checkoutIdempotencyScope,
    run: async (tx, { id }) => {
      const { payment, isNew } = await startPaymentLinkCheckout(tx, {
        linkId: id,
        clock,
        expirySeconds: config.PAYMENT_EXPIRY_SECONDS,
      });
      return {
        status: 201,
        body: {
          object: 'payment_link_checkout',
          payment: payment.id,
          client_secret: links.clientSecret(payment.id),
        },
        onCommit: () => {
          if (isNew) metrics.paymentCreated(payment);
        },
      };
    },
  });

  return router;
}
