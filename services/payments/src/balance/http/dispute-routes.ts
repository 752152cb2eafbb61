import { listRoute, merchantPostRoute, retrieveRoute } from '@expe/server-kit';
import express, { type Router } from 'express';
import { updateDisputeInputSchema } from '@expe/contracts';
import { toDisputeResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { getDispute, listMerchantDisputes } from '../domain/get-money-objects.js';
import { acceptDispute, submitDisputeEvidence } from '../domain/update-dispute.js';
import { emptyBodySchema, parseDisputesQuery } from '../../shared/http/queries.js';

const dispute = { prefix: 'dp', what: 'dispute' };

export function disputeRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  listRoute(
    router,
    '/v1/disputes',
    parseDisputesQuery,
    (scope, query) =>
      listMerchantDisputes(
        db,
        { ...scope, status: query.status, paymentId: query.paymentId },
        query.page,
      ),
    toDisputeResource,
  );

  retrieveRoute(
    router,
    '/v1/disputes/:id',
    dispute,
    (scope, id) => getDispute(db, scope, id),
    toDisputeResource,
  );

  merchantPostRoute(
    router,
    '/v1/disputes/:id',
    { body: updateDisputeInputSchema, id: dispute },
    async (tx, { scope, id, input }) => {
      const now = await ctx.clock.now(tx, scope);
      return {
        status: 200,
        body: toDisputeResource(await submitDisputeEvidence(tx, scope, id, input, now)),
      };
    },
  );

  merchantPostRoute(
    router,
    '/v1/disputes/:id/close',
    { body: emptyBodySchema, id: dispute },
    async (tx, { scope, id }) => {
      const now = await ctx.clock.now(tx, scope);
      return { status: 200, body: toDisputeResource(await acceptDispute(tx, scope, id, now)) };
    },
  );

  return router;
}
