import { merchantPostRoute } from '@expe/server-kit';
import express, { type Router } from 'express';
import { createRefundInputSchema, updateRefundInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createRefund } from '../domain/create-refund.js';
import { getRefund, listMerchantRefunds, updateRefund } from '../domain/get-refund.js';
import { toRefundResource } from '../domain/resources.js';
import { parseRefundsQuery } from '../../shared/http/queries.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';
import { listAndRetrieveRoutes, objectPostRoute } from '../../shared/http/route-helpers.js';

const refundKind = { prefix: 're', what: 'refund' };

export function refundRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, metrics } = ctx;

  merchantPostRoute(
    router,
    '/v1/refunds',
    {
      body: createRefundInputSchema,
      check: (input) => assertMaxAmount(input.amount, config.MAX_AMOUNT),
    },
    async (tx, { scope, input }) => {
      const { refund } = await createRefund(tx, scope, input);
      return {
        status: 201,
        body: toRefundResource(refund),
        onCommit: () => metrics.refundSucceeded(refund),
      };
    },
  );

  listAndRetrieveRoutes(router, '/v1/refunds', {
    id: refundKind,
    parse: parseRefundsQuery,
    list: (scope, { paymentId, page }) => listMerchantRefunds(db, { ...scope, paymentId }, page),
    get: (scope, id) => getRefund(db, scope, id),
    render: toRefundResource,
  });

  objectPostRoute(
    router,
    '/v1/refunds/:id',
    { body: updateRefundInputSchema, id: refundKind },
    (tx, { scope, id, input }) => updateRefund(tx, scope, id, input),
    toRefundResource,
  );

  return router;
}
