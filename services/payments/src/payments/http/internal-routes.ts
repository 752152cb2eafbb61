import express, { type Router } from 'express';
import { paymentsInternalApi as api } from '@expe/contracts';
import { serveInternal } from '@expe/server-kit';
import { getPayment, getPaymentOwner } from '../domain/get-payment.js';
import { toPaymentOwnerResource } from '../domain/resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';

/**
 * The internal API of `@expe/contracts` (`paymentsInternalApi`): who owns a payment, and a
 * checkout page's client_secret checked, for the gateway's WebSocket; neither answer reveals
 * anything else. The gateway never forwards `/internal/...`.
 */
export function internalRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();

  serveInternal(router, api.getPaymentOwner, async ({ params }) => ({
    status: 200,
    body: toPaymentOwnerResource(await getPaymentOwner(ctx.db, params.id)),
  }));

  serveInternal(router, api.verifyClientSecret, async ({ params, body }) => {
    const payment = await getPayment(ctx.db, ctx.links, params.id, {
      kind: 'client_secret',
      clientSecret: body.client_secret,
    });
    return { status: 200, body: toPaymentOwnerResource(payment) };
  });

  return router;
}
