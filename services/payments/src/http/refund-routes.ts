import express, { type Router } from 'express';
import { parseInput } from '@expe/server-kit';
import { createRefundInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../domain/context.js';
import { createRefund } from '../domain/create-refund.js';
import { getRefund, listMerchantRefunds } from '../domain/get-refund.js';
import { toRefundResource } from '../domain/resources.js';
import { parseRefundsQuery } from './queries.js';
import {
  assertMaxAmount,
  idempotencyScope,
  pathId,
  secretKeyScope,
  sendIdempotent,
  toListResource,
} from './route-helpers.js';

export function refundRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, metrics } = ctx;

  router.post('/v1/refunds', async (req, res) => {
    const scope = secretKeyScope(res);
    const input = parseInput(createRefundInputSchema, req.body);
    assertMaxAmount(input.amount, config.MAX_AMOUNT);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const { refund } = await createRefund(tx, scope, input);
      return {
        status: 201,
        body: toRefundResource(refund),
        onCommit: () => metrics.refundSucceeded(refund),
      };
    });
  });

  router.get('/v1/refunds', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parseRefundsQuery(req.query);
    const page = await listMerchantRefunds(
      db,
      { ...scope, paymentId: query.paymentId },
      query.page,
    );
    res.json(toListResource(page, toRefundResource));
  });

  router.get('/v1/refunds/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 're', 'refund');
    res.json(toRefundResource(await getRefund(db, scope, id)));
  });

  return router;
}
