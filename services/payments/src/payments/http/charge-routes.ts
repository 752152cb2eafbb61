import express, { type Router } from 'express';
import { merchantPostRoute, parseInput, pathId, toPageRequest } from '@expe/server-kit';
import {
  captureChargeInputSchema,
  listChargesQuerySchema,
  receiptQuerySchema,
  updateChargeInputSchema,
} from '@expe/contracts';
import { captureCharge } from '../domain/capture-charge.js';
import { toChargeResource } from '../domain/charge-resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { getCharge, listMerchantCharges, updateCharge } from '../domain/get-charge.js';
import { getReceipt } from '../domain/get-receipt.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';
import { listAndRetrieveRoutes, objectPostRoute } from '../../shared/http/route-helpers.js';

const chargeKind = { prefix: 'ch', what: 'charge' };

function parseChargesQuery(query: unknown) {
  const parsed = parseInput(listChargesQuerySchema, query);
  return {
    page: toPageRequest(parsed),
    paymentId: parsed.payment,
    customerId: parsed.customer,
  };
}

/** Charges (issue 20): every attempt to pay, listed, read, annotated and captured. */
export function chargeRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, links, metrics } = ctx;
  const render = (row: Parameters<typeof toChargeResource>[0]) => toChargeResource(row, links);

  listAndRetrieveRoutes(router, '/v1/charges', {
    id: chargeKind,
    parse: parseChargesQuery,
    list: (scope, { paymentId, customerId, page }) =>
      listMerchantCharges(db, { ...scope, paymentId, customerId }, page),
    get: (scope, id) => getCharge(db, scope, id),
    render,
  });

  objectPostRoute(
    router,
    '/v1/charges/:id',
    { body: updateChargeInputSchema, id: chargeKind },
    (tx, { scope, id, input }) => updateCharge(tx, scope, id, input),
    render,
  );

  merchantPostRoute(
    router,
    '/v1/charges/:id/capture',
    {
      body: captureChargeInputSchema,
      id: chargeKind,
      check: (input) => assertMaxAmount(input.amount, config.MAX_AMOUNT),
    },
    async (tx, { scope, id, input }) => {
      const { charge, payment } = await captureCharge(tx, ctx.clock, scope, id, input);
      return {
        status: 200,
        body: render(charge),
        onCommit: () => metrics.paymentSucceeded(payment),
      };
    },
  );

  // The hosted receipt: anyone with the receipt_url, no credential (its token is the right).
  router.get('/v1/receipts/:id', async (req, res) => {
    const id = pathId(req, chargeKind.prefix, chargeKind.what);
    const { token } = parseInput(receiptQuerySchema, req.query);
    res.json(await getReceipt(db, links, id, token));
  });

  return router;
}
