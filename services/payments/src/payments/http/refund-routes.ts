import { listRoute, merchantPostRoute, retrieveRoute } from '@expe/server-kit';
import express, { type Router } from 'express';
import { createRefundInputSchema, updateRefundInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createRefund } from '../domain/create-refund.js';
import { getRefund, listMerchantRefunds, updateRefund } from '../domain/get-refund.js';
import { toRefundResource } from '../domain/resources.js';
import { parseRefundsQuery } from '../../shared/http/queries.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';

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

  listRoute(
    router,
    '/v1/refunds',
    parseRefundsQuery,
    (scope, query) => listMerchantRefunds(db, { ...scope, paymentId: query.paymentId }, query.page),
    toRefundResource,
  );

  retrieveRoute(
    router,
    '/v1/refunds/:id',
    { prefix: 're', what: 'refund' },
    (scope, id) => getRefund(db, scope, id),
    toRefundResource,
  );

  merchantPostRoute(
    router,
    '/v1/refunds/:id',
    { body: updateRefundInputSchema, id: { prefix: 're', what: 'refund' } },
    async (tx, { scope, id, input }) => ({
      status: 200,
      body: toRefundResource(await updateRefund(tx, scope, id, input)),
    }),
  );

  return router;
}
