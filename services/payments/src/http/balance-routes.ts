import express, { type Router } from 'express';
import { parseInput } from '@expe/server-kit';
import { updateBalanceSettingsInputSchema } from '@expe/contracts';
import { toBalanceTransactionResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../domain/context.js';
import {
  getBalanceTransaction,
  listMerchantBalanceTransactions,
} from '../domain/get-money-objects.js';
import {
  getBalanceSettings,
  updateBalanceSettings,
  type BalanceSettings,
} from '../domain/update-balance-settings.js';
import { parseBalanceTransactionsQuery } from './money-queries.js';
import {
  idempotencyScope,
  pathId,
  secretKeyScope,
  sendIdempotent,
  toListResource,
} from './route-helpers.js';

const toSettingsResource = (settings: BalanceSettings) => ({
  object: 'balance_settings' as const,
  fees_enabled: settings.feesEnabled,
});

/** The merchant's balance transactions and its fee setting (GET /v1/balance is in merchant-account-routes). */
export function balanceRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  router.get('/v1/balance_transactions', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parseBalanceTransactionsQuery(req.query);
    const page = await listMerchantBalanceTransactions(
      db,
      { ...scope, type: query.type, source: query.source },
      query.page,
    );
    res.json(toListResource(page, toBalanceTransactionResource));
  });

  router.get('/v1/balance_transactions/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'bt', 'balance_transaction');
    res.json(toBalanceTransactionResource(await getBalanceTransaction(db, scope, id)));
  });

  router.get('/v1/balance_settings', async (_req, res) => {
    const scope = secretKeyScope(res);
    res.json(toSettingsResource(await getBalanceSettings(db, scope.merchantId)));
  });

  router.post('/v1/balance_settings', async (req, res) => {
    const scope = secretKeyScope(res);
    const input = parseInput(updateBalanceSettingsInputSchema, req.body);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => ({
      status: 200,
      body: toSettingsResource(
        await updateBalanceSettings(
          tx,
          scope.merchantId,
          { feesEnabled: input.fees_enabled },
          ctx.clock.realNow(),
        ),
      ),
    }));
  });

  return router;
}
