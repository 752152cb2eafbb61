import { merchantPostRoute } from '@expe/server-kit';
import express, { type Router } from 'express';
import {
  createPayoutInputSchema,
  reversePayoutInputSchema,
  updatePayoutInputSchema,
} from '@expe/contracts';
import { toPayoutResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createPayout } from '../domain/create-payout.js';
import { getPayout, listMerchantPayouts } from '../domain/get-money-objects.js';
import { cancelPayout, reversePayout } from '../domain/payout-lifecycle.js';
import { updatePayout } from '../domain/update-payout.js';
import { emptyBodySchema, parsePayoutsQuery } from '../../shared/http/queries.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';
import { listAndRetrieveRoutes, objectPostRoute } from '../../shared/http/route-helpers.js';

const payoutKind = { prefix: 'po', what: 'payout' };

export function payoutRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config } = ctx;

  merchantPostRoute(
    router,
    '/v1/payouts',
    {
      body: createPayoutInputSchema,
      check: (input) => assertMaxAmount(input.amount, config.MAX_AMOUNT),
    },
    async (tx, { scope, input }) => {
      const payout = await createPayout(tx, scope, input, await ctx.clock.now(tx, scope));
      return { status: 201, body: toPayoutResource(payout) };
    },
  );

  listAndRetrieveRoutes(router, '/v1/payouts', {
    id: payoutKind,
    parse: parsePayoutsQuery,
    list: (scope, { status, page }) => listMerchantPayouts(db, { ...scope, status }, page),
    get: (scope, id) => getPayout(db, scope, id),
    render: toPayoutResource,
  });

  objectPostRoute(
    router,
    '/v1/payouts/:id',
    { body: updatePayoutInputSchema, id: payoutKind },
    async (tx, { scope, id, input }) =>
      updatePayout(tx, scope, id, input, await ctx.clock.now(tx, scope)),
    toPayoutResource,
  );

  objectPostRoute(
    router,
    '/v1/payouts/:id/cancel',
    { body: emptyBodySchema, id: payoutKind },
    async (tx, { scope, id }) => cancelPayout(tx, scope, id, await ctx.clock.now(tx, scope)),
    toPayoutResource,
  );

  objectPostRoute(
    router,
    '/v1/payouts/:id/reverse',
    { body: reversePayoutInputSchema, id: payoutKind },
    async (tx, { scope, id, input }) =>
      reversePayout(tx, scope, id, input, await ctx.clock.now(tx, scope)),
    toPayoutResource,
  );

  return router;
}
