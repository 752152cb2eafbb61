import express, { type Router } from 'express';
import { updateDisputeInputSchema } from '@expe/contracts';
import { toDisputeResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { getDispute, listMerchantDisputes } from '../domain/get-money-objects.js';
import { acceptDispute, submitDisputeEvidence } from '../domain/update-dispute.js';
import { emptyBodySchema, parseDisputesQuery } from '../../shared/http/queries.js';
import { listAndRetrieveRoutes, objectPostRoute } from '../../shared/http/route-helpers.js';

const dispute = { prefix: 'dp', what: 'dispute' };

export function disputeRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  listAndRetrieveRoutes(router, '/v1/disputes', {
    id: dispute,
    parse: parseDisputesQuery,
    list: (scope, { status, paymentId, page }) =>
      listMerchantDisputes(db, { ...scope, status, paymentId }, page),
    get: (scope, id) => getDispute(db, scope, id),
    render: toDisputeResource,
  });

  objectPostRoute(
    router,
    '/v1/disputes/:id',
    { body: updateDisputeInputSchema, id: dispute },
    async (tx, { scope, id, input }) =>
      submitDisputeEvidence(tx, scope, id, input, await ctx.clock.now(tx, scope)),
    toDisputeResource,
  );

  objectPostRoute(
    router,
    '/v1/disputes/:id/close',
    { body: emptyBodySchema, id: dispute },
    async (tx, { scope, id }) => acceptDispute(tx, scope, id, await ctx.clock.now(tx, scope)),
    toDisputeResource,
  );

  return router;
}
