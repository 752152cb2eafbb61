import express, { type Router } from 'express';
import { parseInput } from '@expe/server-kit';
import { updateDisputeInputSchema } from '@expe/contracts';
import { toDisputeResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../domain/context.js';
import { getDispute, listMerchantDisputes } from '../domain/get-money-objects.js';
import { acceptDispute, submitDisputeEvidence } from '../domain/update-dispute.js';
import { parseDisputesQuery } from './money-queries.js';
import { emptyBodySchema } from './queries.js';
import {
  idempotencyScope,
  pathId,
  secretKeyScope,
  sendIdempotent,
  toListResource,
} from './route-helpers.js';

export function disputeRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  router.get('/v1/disputes', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parseDisputesQuery(req.query);
    const page = await listMerchantDisputes(
      db,
      { ...scope, status: query.status, paymentId: query.paymentId },
      query.page,
    );
    res.json(toListResource(page, toDisputeResource));
  });

  router.get('/v1/disputes/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'dp', 'dispute');
    res.json(toDisputeResource(await getDispute(db, scope, id)));
  });

  router.post('/v1/disputes/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'dp', 'dispute');
    const input = parseInput(updateDisputeInputSchema, req.body);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const now = await ctx.clock.now(tx, scope);
      return {
        status: 200,
        body: toDisputeResource(await submitDisputeEvidence(tx, scope, id, input, now)),
      };
    });
  });

  router.post('/v1/disputes/:id/close', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'dp', 'dispute');
    parseInput(emptyBodySchema, req.body ?? {});
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => {
      const now = await ctx.clock.now(tx, scope);
      return { status: 200, body: toDisputeResource(await acceptDispute(tx, scope, id, now)) };
    });
  });

  return router;
}
