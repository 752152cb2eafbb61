import { merchantPostRoute, secretKeyScope } from '@expe/server-kit';
import express, { type Router } from 'express';
import { updateBalanceSettingsInputSchema } from '@expe/contracts';
import { toBalanceTransactionResource } from '../domain/balance-resources.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import {
  getBalanceTransaction,
  listMerchantBalanceTransactions,
} from '../domain/get-money-objects.js';
import {
  getBalanceSettings,
  updateBalanceSettings,
  type BalanceSettings,
} from '../domain/update-balance-settings.js';
import { parseBalanceTransactionsQuery } from '../../shared/http/queries.js';
import { listAndRetrieveRoutes } from '../../shared/http/route-helpers.js';

const toSettingsResource = (settings: BalanceSettings) => ({
  object: 'balance_settings' as const,
  fees_enabled: settings.feesEnabled,
});

/** The merchant's balance transactions and its fee setting (GET /v1/balance is in merchant-account-routes). */
export function balanceRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  listAndRetrieveRoutes(router, '/v1/balance_transactions', {
    id: { prefix: 'bt', what: 'balance_transaction' },
    parse: parseBalanceTransactionsQuery,
    list: (scope, { type, source, page }) =>
      listMerchantBalanceTransactions(db, { ...scope, type, source }, page),
    get: (scope, id) => getBalanceTransaction(db, scope, id),
    render: toBalanceTransactionResource,
  });

  router.get('/v1/balance_settings', async (_req, res) => {
    const scope = secretKeyScope(res);
    res.json(toSettingsResource(await getBalanceSettings(db, scope)));
  });

  merchantPostRoute(
    router,
    '/v1/balance_settings',
    { body: updateBalanceSettingsInputSchema },
    async (tx, { scope, input }) => {
      const settings = { feesEnabled: input.fees_enabled };
      const updated = await updateBalanceSettings(tx, scope, settings, ctx.clock.realNow());
      return { status: 200, body: toSettingsResource(updated) };
    },
  );

  return router;
}
