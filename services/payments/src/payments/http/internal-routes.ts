import express, { type Router } from 'express';
import { idSchema, z } from '@expe/contracts';
import { parseInput, requireService } from '@expe/server-kit';
import { getPayment, getPaymentOwner } from '../domain/get-payment.js';
import { toPaymentOwnerResource } from '../domain/resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';

/** Routes for other Expe deployables; the gateway never forwards `/internal/...`. */
export function internalRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();

  // The gateway's WebSocket asks who owns a payment before a merchant may follow it, and
  // checks a checkout page's client_secret; neither answer reveals anything else.
  const paymentParams = z.object({ id: idSchema('pay') });
  const clientSecretBody = z.strictObject({ client_secret: z.string().min(10).max(200) });

  router.get('/internal/payments/:id', async (req, res) => {
    requireService(res, ['gateway']);
    const { id } = parseInput(paymentParams, req.params);
    res.json(toPaymentOwnerResource(await getPaymentOwner(ctx.db, id)));
  });

  router.post('/internal/payments/:id/verify-client-secret', async (req, res) => {
    requireService(res, ['gateway']);
    const { id } = parseInput(paymentParams, req.params);
    const { client_secret } = parseInput(clientSecretBody, req.body);
    const payment = await getPayment(ctx.db, ctx.links, id, {
      kind: 'client_secret',
      clientSecret: client_secret,
    });
    res.json(toPaymentOwnerResource(payment));
  });

  return router;
}
