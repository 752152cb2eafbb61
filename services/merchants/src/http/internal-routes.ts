import express, { type Router } from 'express';
import { emailSchema, idSchema, nameSchema, z } from '@expe/contracts';
import { parseInput, requireService } from '@expe/server-kit';
import { ensureMerchant } from '../domain/ensure-merchant.js';
import { getMerchant, getMerchantOfUser } from '../domain/get-merchant.js';
import { resolveApiKey } from '../domain/resolve-api-key.js';
import type { RouteDeps } from './route-deps.js';
import { toMerchantResource } from './serializers.js';

/** Body of `POST /internal/merchants`: exactly one of owner_user_id and external_ref. */
export const ensureMerchantInputSchema = z
  .strictObject({
    owner_user_id: idSchema('usr').optional(),
    external_ref: z.string().trim().min(1, 'must not be empty').max(255).optional(),
    name: nameSchema,
    email: emailSchema,
  })
  .refine((input) => (input.owner_user_id === undefined) !== (input.external_ref === undefined), {
    path: ['owner_user_id'],
    message: 'send exactly one of owner_user_id and external_ref',
  });
export type EnsureMerchantBody = z.infer<typeof ensureMerchantInputSchema>;

/** Body of `POST /internal/api-keys/resolve`: the SHA-256 of the presented key. */
export const resolveApiKeyInputSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the key in lower-case hex'),
});

/** Routes for other Expe deployables; the gateway never forwards `/internal/...`. */
export function internalRoutes({ db, config }: RouteDeps): Router {
  const router = express.Router();

  router.post('/internal/merchants', async (req, res) => {
    requireService(res, ['auth', 'operator']);
    const body = parseInput(ensureMerchantInputSchema, req.body);
    const owner = body.owner_user_id
      ? { ownerUserId: body.owner_user_id }
      : { externalRef: body.external_ref ?? '' };
    const { merchant, isCreated } = await ensureMerchant(db, {
      ...owner,
      name: body.name,
      email: body.email,
    });
    res.status(isCreated ? 201 : 200).json(toMerchantResource(merchant));
  });

  // Services that show or scope by merchant (payments, webhooks, the operator) read it here.
  const readers = ['gateway', 'payments', 'webhooks', 'operator'];
  const merchantIdParams = z.object({ id: idSchema('mer') });
  const ownerParams = z.object({ user_id: idSchema('usr') });

  router.get('/internal/merchants/by-owner/:user_id', async (req, res) => {
    requireService(res, readers);
    const { user_id } = parseInput(ownerParams, req.params);
    res.json(toMerchantResource(await getMerchantOfUser(db, user_id)));
  });

  router.get('/internal/merchants/:id', async (req, res) => {
    requireService(res, readers);
    const { id } = parseInput(merchantIdParams, req.params);
    res.json(toMerchantResource(await getMerchant(db, id)));
  });

  router.post('/internal/api-keys/resolve', async (req, res) => {
    requireService(res, ['gateway']);
    const { hash } = parseInput(resolveApiKeyInputSchema, req.body);
    const key = await resolveApiKey(db, hash, {
      lastUsedResolutionSeconds: config.API_KEY_LAST_USED_RESOLUTION_SECONDS,
    });
    res.json({
      key_id: key.keyId,
      key_type: key.keyType,
      merchant_id: key.merchantId,
      project_id: key.projectId,
      mode: key.mode,
    });
  });

  return router;
}
