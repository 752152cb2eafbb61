import express, { type Router } from 'express';
import {
  apiKeyParamsSchema,
  createApiKeyInputSchema,
  projectIdParamsSchema,
  rollApiKeyInputSchema,
} from '@expe/contracts';
import { parseInput, requireUser } from '@expe/server-kit';
import { createApiKey } from '../domain/create-api-key.js';
import { getMerchantOfUser } from '../domain/get-merchant.js';
import { listApiKeys } from '../domain/list-api-keys.js';
import { revokeApiKey } from '../domain/revoke-api-key.js';
import { rollApiKey } from '../domain/roll-api-key.js';
import { parseListQuery } from './list-query.js';
import { merchantRole, type RouteDeps } from './route-deps.js';
import { toApiKeyResource, toListResource } from './serializers.js';

export function apiKeyRoutes({ db, config }: RouteDeps): Router {
  const router = express.Router();

  router.post('/v1/projects/:id/api_keys', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const { id } = parseInput(projectIdParamsSchema, req.params);
    const input = parseInput(createApiKeyInputSchema, req.body);
    const merchant = await getMerchantOfUser(db, user.userId);
    const details = await createApiKey(db, merchant.id, id, input, {
      maxKeys: config.MAX_KEYS_PER_PROJECT,
    });
    res.status(201).json(toApiKeyResource(details));
  });

  router.get('/v1/projects/:id/api_keys', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const { id } = parseInput(projectIdParamsSchema, req.params);
    const page = parseListQuery('key', req.query);
    const merchant = await getMerchantOfUser(db, user.userId);
    res.json(toListResource(await listApiKeys(db, merchant.id, id, page), toApiKeyResource));
  });

  router.delete('/v1/projects/:id/api_keys/:key_id', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const params = parseInput(apiKeyParamsSchema, req.params);
    const merchant = await getMerchantOfUser(db, user.userId);
    res.json(toApiKeyResource(await revokeApiKey(db, merchant.id, params.id, params.key_id)));
  });

  router.post('/v1/projects/:id/api_keys/:key_id/roll', async (req, res) => {
    const user = requireUser(res, merchantRole);
    const params = parseInput(apiKeyParamsSchema, req.params);
    const input = parseInput(rollApiKeyInputSchema, req.body);
    const merchant = await getMerchantOfUser(db, user.userId);
    const details = await rollApiKey(db, merchant.id, params.id, params.key_id, input);
    res.json(toApiKeyResource(details));
  });

  return router;
}
