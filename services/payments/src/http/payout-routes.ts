import express, { type Router } from 'express';
import { parseInput } from '@expe/server-kit';
import { createPayoutInputSchema } from '@expe/contracts';
import { toPayoutResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../domain/context.js';
import { createPayout } from '../domain/create-payout.js';
import { getPayout, listMerchantPayouts } from '../domain/get-money-objects.js';
import { parsePayoutsQuery } from './money-queries.js';
import {
  assertMaxAmount,
  idempotencyScope,
  pathId,
  secretKeyScope,
  sendIdempotent,
  toListResource,
} from './route-helpers.js';

export function payoutRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config } = ctx;

  router.post('/v1/payouts', async (req, res) => {
    const scope = secretKeyScope(res);
    const input = parseInput(createPayoutInputSchema, req.body);
    assertMaxAmount(input.amount, config.MAX_AMOUNT);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const payout = await createPayout(tx, scope, input, await ctx.clock.now(tx, scope));
      return { status: 201, body: toPayoutResource(payout) };
    });
  });

  router.get('/v1/payouts', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parsePayoutsQuery(req.query);
    const page = await listMerchantPayouts(db, { ...scope, status: query.status }, query.page);
    res.json(toListResource(page, toPayoutResource));
  });

  router.get('/v1/payouts/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'po', 'payout');
    res.json(toPayoutResource(await getPayout(db, scope, id)));
  });

  return router;
}
