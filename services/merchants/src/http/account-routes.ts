import express, { type Router } from 'express';
import { requireSecretKey } from '@expe/server-kit';
import { getAccount } from '../domain/get-account.js';
import type { RouteDeps } from './route-deps.js';
import { toAccountResource } from '../domain/resources.js';

export function accountRoutes({ db }: RouteDeps): Router {
  const router = express.Router();

  router.get('/v1/account', async (_req, res) => {
    const principal = requireSecretKey(res);
    res.json(toAccountResource(await getAccount(db, principal)));
  });

  return router;
}
