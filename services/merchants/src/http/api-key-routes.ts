import express, { type Router } from 'express';
import {
  apiKeyParamsSchema,
  createApiKeyInputSchema,
  projectIdParamsSchema,
  rollApiKeyInputSchema,
} from '@expe/contracts';
import {
  parseInput,
  parseListQuery,
  postRoute,
  requireUser,
  toListResource,
} from '@expe/server-kit';
import { announceRolledSecrets } from '../domain/announce-revocation.js';
import { createApiKey } from '../domain/create-api-key.js';
import { getMerchantOfUser } from '../domain/get-merchant.js';
import { listApiKeys } from '../domain/list-api-keys.js';
import { revokeApiKey } from '../domain/revoke-api-key.js';
import { rollApiKey } from '../domain/roll-api-key.js';
import { merchantRole, type RouteDeps } from './route-deps.js';
import { toApiKeyResource } from '../domain/resources.js';

/** An answer with a secret in it must not be kept by any cache on the way. */
const noStore = { 'Cache-Control': 'no-store' };

export function apiKeyRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { db, config } = deps;

  // Idempotent although the answer reveals the key's secret: the store seals answers (app.ts),
  // so a retry after a lost response shows the same key again instead of minting a second one.
  postRoute(router, '/v1/projects/:id/api_keys', {
    parse: (req, res) => ({
      user: requireUser(res, merchantRole),
      id: parseInput(projectIdParamsSchema, req.params).id,
      input: parseInput(createApiKeyInputSchema, req.body),
    }),
    headers: noStore,
    run: async (tx, { user, id, input }) => {
      const merchant = await getMerchantOfUser(tx, user.userId);
      const details = await createApiKey(tx, merchant.id, id, input, {
        maxKeys: config.MAX_KEYS_PER_PROJECT,
      });
      return { status: 201, body: toApiKeyResource(details) };
    },
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
    const details = await revokeApiKey(db, merchant.id, params.id, params.key_id);
    await deps.announce({ kind: 'api_key', ids: [details.key.id], reason: 'api_key_revoked' });
    res.json(toApiKeyResource(details));
  });

  postRoute(router, '/v1/projects/:id/api_keys/:key_id/roll', {
    parse: (req, res) => ({
      user: requireUser(res, merchantRole),
      params: parseInput(apiKeyParamsSchema, req.params),
      input: parseInput(rollApiKeyInputSchema, req.body),
    }),
    headers: noStore,
    run: async (tx, { user, params, input }) => {
      const merchant = await getMerchantOfUser(tx, user.userId);
      const details = await rollApiKey(tx, merchant.id, params.id, params.key_id, input);
      return {
        status: 200,
        body: toApiKeyResource(details),
        onCommit: () => announceRolledSecrets(deps.announce, details),
      };
    },
  });

  return router;
}
