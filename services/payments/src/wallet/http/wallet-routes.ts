import express, { type Router } from 'express';
import {
  parseInput,
  postRoute,
  postRouteClaimedByUseCase,
  requireUser,
  toListResource,
} from '@expe/server-kit';
import { topupInputSchema, transferInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createTransfer, resolveTransferParties } from '../domain/create-transfer.js';
import { walletCurrency } from '../../ledger/index.js';
import { listWalletTransactions } from '../domain/list-wallet-transactions.js';
import { toTopupResource, toWalletTransactionResource } from '../domain/wallet-resources.js';
import { topUpWallet } from '../domain/top-up-wallet.js';
import { getWalletBalance, getWalletHeld, getWalletOwner } from '../domain/wallet.js';
import { parseWalletTransactionsQuery } from '../../shared/http/queries.js';
import { assertMaxAmount } from '../../shared/domain/amount-limit.js';

/** A signed-in person's own wallet; nobody reaches anyone else's. */
export function walletRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db, config, metrics } = ctx;

  router.get('/v1/wallet', async (_req, res) => {
    const user = requireUser(res);
    const owner = await getWalletOwner(ctx.users, user.userId);
    const balance = await getWalletBalance(db, user.userId);
    const held = await getWalletHeld(db, user.userId);
    res.json({ object: 'wallet', balance, held, currency: walletCurrency, vpa: owner.vpa });
  });

  postRoute(router, '/v1/wallet/topup', {
    parse: (req, res) => {
      const user = requireUser(res);
      const input = parseInput(topupInputSchema, req.body);
      assertMaxAmount(input.amount, config.MAX_AMOUNT);
      return { user, input };
    },
    run: async (tx, { user, input }) => {
      const { topup, balance } = await topUpWallet(tx, {
        userId: user.userId,
        amount: input.amount,
        dailyLimit: config.WALLET_TOPUP_DAILY_LIMIT,
      });
      return {
        status: 201,
        body: toTopupResource(topup, balance),
        onCommit: () => metrics.topupSucceeded(topup),
      };
    },
  });

  // The transfer claims its Idempotency-Key in the one statement that moves the money
  // (create-transfer.ts): the kit gives it the request and sends its answer.
  postRouteClaimedByUseCase(router, '/v1/wallet/transfers', {
    parse: async (req, res) => {
      const user = requireUser(res);
      const input = parseInput(transferInputSchema, req.body);
      assertMaxAmount(input.amount, config.MAX_AMOUNT);
      const parties = await resolveTransferParties(ctx.users, user.userId, input.to);
      return { input, parties };
    },
    answer: async (request, { input, parties }) => {
      const outcome = await createTransfer(db, request, {
        ...parties,
        amount: input.amount,
        note: input.note,
      });
      if (outcome.transfer) {
        // Its event is committed: the transfer's statement left the NOTIFY to this process.
        ctx.wakeRelay();
        metrics.transferCompleted(outcome.transfer);
      }
      return outcome.response;
    },
  });

  router.get('/v1/wallet/transactions', async (req, res) => {
    const user = requireUser(res);
    const query = parseWalletTransactionsQuery(req.query);
    const page = await listWalletTransactions(db, user.userId, { type: query.type }, query.page);
    res.json(toListResource(page, toWalletTransactionResource));
  });

  return router;
}
