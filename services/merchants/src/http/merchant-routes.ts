import express, { type Router } from 'express';
import { updateMerchantInputSchema } from '@expe/contracts';
import { parseInput, requireUser } from '@expe/server-kit';
import { getMerchantOfUser } from '../domain/get-merchant.js';
import { updateMerchant } from '../domain/update-merchant.js';
import { merchantRole, type RouteDeps } from './route-deps.js';
import { toMerchantResource } from './serializers.js';

export function merchantRoutes({ db }: RouteDeps): Router {
  const router = express.Router();

  router.get('/v1/merchants/me', async (_req, res) => {
    const user = requireUser(res, merchantRole);
    res.json(toMerchantResource(await getMerchantOfUser(db, user.userId)));
  });

  router.post('/v1/merchants/me', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const input = parseInput(updateMerchantInputSchema, req.body);
    const merchant = await getMerchantOfUser(db, user.userId);
    res.json(toMerchantResource(await updateMerchant(db, merchant, input)));
  });

  return router;
}
