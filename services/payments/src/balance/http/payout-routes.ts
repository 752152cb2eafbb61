import { listRoute, merchantPostRoute, retrieveRoute } from '@expe/server-kit';
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

  listRoute(
    router,
    '/v1/payouts',
    parsePayoutsQuery,
    (scope, query) => listMerchantPayouts(db, { ...scope, status: query.status }, query.page),
    toPayoutResource,
  );

  retrieveRoute(
    router,
    '/v1/payouts/:id',
    { prefix: 'po', what: 'payout' },
    (scope, id) => getPayout(db, scope, id),
    toPayoutResource,
  );

  merchantPostRoute(
    router,
    '/v1/payouts/:id',
    { body: updatePayoutInputSchema, id: { prefix: 'po', what: 'payout' } },
    async (tx, { scope, id, input }) => {
      const payout = await updatePayout(tx, scope, id, input, await ctx.clock.now(tx, scope));
      return { status: 200, body: toPayoutResource(payout) };
    },
  );

  merchantPostRoute(
    router,
    '/v1/payouts/:id/cancel',
    { body: emptyBodySchema, id: { prefix: 'po', what: 'payout' } },
    async (tx, { scope, id }) => {
      const payout = await cancelPayout(tx, scope, id, await ctx.clock.now(tx, scope));
      return { status: 200, body: toPayoutResource(payout) };
    },
  );

  merchantPostRoute(
    router,
    '/v1/payouts/:id/reverse',
    { body: reversePayoutInputSchema, id: { prefix: 'po', what: 'payout' } },
    async (tx, { scope, id, input }) => {
      const reversal = await reversePayout(tx, scope, id, input, await ctx.clock.now(tx, scope));
      return { status: 200, body: toPayoutResource(reversal) };
    },
  );

  return router;
}
