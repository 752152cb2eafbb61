import express, { type Router } from 'express';
import { updateMerchantInputSchema } from '@expe/contracts';
import { parseInput, postRoute, requireUser } from '@expe/server-kit';
import { getMerchantOfUser } from '../domain/get-merchant.js';
import { updateMerchant } from '../domain/update-merchant.js';
import { merchantRole, type RouteDeps } from './route-deps.js';
import { toMerchantResource } from '../domain/resources.js';

export function merchantRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { db } = deps;

  router.get('/v1/merchants/me', async (_req, res) => {
    const user = requireUser(res, merchantRole);
    res.json(toMerchantResource(await getMerchantOfUser(db, user.userId)));
  });

  postRoute(router, '/v1/merchants/me', {
    parse: (req, res) => ({
      user: requireUser(res, merchantRole),
      input: parseInput(updateMerchantInputSchema, req.body),
    }),
    run: async (tx, { user, input }) => {
      const merchant = await getMerchantOfUser(tx, user.userId);
      return { status: 200, body: toMerchantResource(await updateMerchant(tx, merchant, input)) };
    },
  });

  return router;
}
