import express, { type Router } from 'express';
import {
  emailSchema,
  idSchema,
  modeSchema,
  nameSchema,
  rollApiKeyInputSchema,
  z,
} from '@expe/contracts';
import { parseInput, requireService } from '@expe/server-kit';
import { ensureApiKeyByName, reissueApiKey } from '../domain/ensure-api-key-by-name.js';
import { deactivateMerchant } from '../domain/deactivate-merchant.js';
import { ensureMerchant } from '../domain/ensure-merchant.js';
import { ensureProjectByName } from '../domain/ensure-project-by-name.js';
import { ensureSandboxProject } from '../domain/ensure-sandbox-project.js';
import { deleteProject } from '../domain/delete-project.js';
import { getMerchant, getMerchantOfUser } from '../domain/get-merchant.js';
import { getApiKey } from '../domain/get-api-key.js';
import { getProject } from '../domain/get-project.js';
import { listEndedSandboxes, markSandboxEnded } from '../domain/end-sandboxes.js';
import { resolveApiKey } from '../domain/resolve-api-key.js';
import { revokeApiKey } from '../domain/revoke-api-key.js';
import { announceRolledSecrets } from '../domain/announce-revocation.js';
import { rollApiKey } from '../domain/roll-api-key.js';
import { updateMerchantProfile } from '../domain/update-merchant-profile.js';
import type { MerchantRow } from '../domain/resources.js';
import type { RouteDeps } from './route-deps.js';
import {
  toApiKeyResource,
  toDeletedProjectResource,
  toMerchantResource,
  toProjectResource,
} from '../domain/resources.js';

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

/** The merchant as other Expe components see it: the public resource plus its lifecycle. */
function toInternalMerchant(merchant: MerchantRow) {
  return { ...toMerchantResource(merchant), deactivated: merchant.deactivatedAt !== null };
}

/** Body of `POST /internal/merchants/deactivate`: the merchant by id or by external reference. */
export const deactivateMerchantInputSchema = z
  .strictObject({
    merchant_id: idSchema('mer').optional(),
    external_ref: z.string().trim().min(1, 'must not be empty').max(255).optional(),
  })
  .refine((input) => (input.merchant_id === undefined) !== (input.external_ref === undefined), {
    path: ['merchant_id'],
    message: 'send exactly one of merchant_id and external_ref',
  });

/** Body of `POST /internal/api-keys/resolve`: the SHA-256 of the presented key. */
export const resolveApiKeyInputSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the key in lower-case hex'),
});

/** Routes for other Expe deployables; the gateway never forwards `/internal/...`. */
export function internalRoutes(deps: RouteDeps): Router {
  const { db, config } = deps;
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
    res.status(isCreated ? 201 : 200).json(toInternalMerchant(merchant));
  });

  // Services that show or scope by merchant (payments, webhooks, the operator) read it here.
  const readers = ['gateway', 'payments', 'webhooks', 'operator'];
  const merchantIdParams = z.object({ id: idSchema('mer') });
  const ownerParams = z.object({ user_id: idSchema('usr') });

  router.get('/internal/merchants/by-owner/:user_id', async (req, res) => {
    requireService(res, readers);
    const { user_id } = parseInput(ownerParams, req.params);
    res.json(toInternalMerchant(await getMerchantOfUser(db, user_id)));
  });

  router.get('/internal/merchants/:id', async (req, res) => {
    requireService(res, readers);
    const { id } = parseInput(merchantIdParams, req.params);
    res.json(toInternalMerchant(await getMerchant(db, id)));
  });

  // The gateway answers requests without Expe-Version with the version of the key's project.
  router.get('/internal/merchants/:id/projects/:project_id', async (req, res) => {
    requireService(res, ['gateway']);
    const params = parseInput(
      z.object({ id: idSchema('mer'), project_id: idSchema('prj') }),
      req.params,
    );
    const project = await getProject(db, params.id, params.project_id);
    res.json({ ...toProjectResource(project), merchant_id: project.merchantId });
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

  // Payments archives ended sandboxes' test data (as a reset does) and then reports each one.
  router.get('/internal/sandboxes/ended', async (req, res) => {
    requireService(res, ['payments']);
    const { limit } = parseInput(
      z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
      req.query,
    );
    const ended = await listEndedSandboxes(db, limit);
    res.json({
      data: ended.map((project) => ({ project_id: project.id, merchant_id: project.merchantId })),
    });
  });

  router.post('/internal/sandboxes/:project_id/archived', async (req, res) => {
    requireService(res, ['payments']);
    const { project_id: projectId } = parseInput(
      z.object({ project_id: idSchema('prj') }),
      req.params,
    );
    const project = await markSandboxEnded(db, projectId);
    await deps.announce({ kind: 'project', ids: [project.id], reason: 'sandbox_ended' });
    res.json({ project_id: project.id, archived: true });
  });

  router.use(operatorRoutes(deps));

  return router;
}

/** Body of `POST /internal/merchants/:id`: the profile the Merchant resource declares. */
export const updateMerchantProfileInputSchema = z.strictObject({
  name: nameSchema,
  email: emailSchema,
});
export const ensureProjectInputSchema = z.strictObject({ name: nameSchema });
export const ensureApiKeyInputSchema = z.strictObject({ name: nameSchema, mode: modeSchema });
/** Body of `POST /internal/merchants/:id/sandboxes/ensure`: the Sandbox resource's project. */
export const ensureSandboxInputSchema = z.strictObject({
  name: nameSchema,
  expires_at: z
    .number()
    .int('must be a whole number of seconds since the epoch')
    .positive('must be a time in seconds since the epoch'),
});

/**
 * What the Kubernetes operator needs: every write is idempotent by the resource's identity
 * (merchant id, project name, key name and mode) so a reconcile can be repeated or cut short.
 */
function operatorRoutes(deps: RouteDeps): Router {
  const { db, config } = deps;
  const router = express.Router();
  const operator = ['operator'];
  const merchantParams = z.object({ id: idSchema('mer') });
  const projectParams = merchantParams.extend({ project_id: idSchema('prj') });
  const keyParams = projectParams.extend({ key_id: idSchema('key') });

  // Before /internal/merchants/:id, which would take "deactivate" for an id.
  router.post('/internal/merchants/deactivate', async (req, res) => {
    requireService(res, operator);
    const body = parseInput(deactivateMerchantInputSchema, req.body);
    const result = await deactivateMerchant(
      db,
      body.merchant_id
        ? { merchantId: body.merchant_id }
        : { externalRef: body.external_ref ?? '' },
    );
    if (!result) {
      res.json({ object: 'deactivation', merchant: null, revoked_keys: 0 });
      return;
    }
    await deps.announce({
      kind: 'merchant',
      ids: [result.merchant.id],
      reason: 'merchant_deactivated',
    });
    res.json({
      object: 'deactivation',
      merchant: toInternalMerchant(result.merchant),
      revoked_keys: result.revokedKeys,
    });
  });

  router.post('/internal/merchants/:id', async (req, res) => {
    requireService(res, operator);
    const { id } = parseInput(merchantParams, req.params);
    const body = parseInput(updateMerchantProfileInputSchema, req.body);
    res.json(toMerchantResource(await updateMerchantProfile(db, id, body)));
  });

  router.post('/internal/merchants/:id/projects/ensure', async (req, res) => {
    requireService(res, operator);
    const { id } = parseInput(merchantParams, req.params);
    const { name } = parseInput(ensureProjectInputSchema, req.body);
    const { project, isCreated } = await ensureProjectByName(db, id, name, {
      maxProjects: config.MAX_PROJECTS_PER_MERCHANT,
    });
    res.status(isCreated ? 201 : 200).json(toProjectResource(project));
  });

  // The Sandbox resource: a project that ends at a given time, found again by its name.
  router.post('/internal/merchants/:id/sandboxes/ensure', async (req, res) => {
    requireService(res, operator);
    const { id } = parseInput(merchantParams, req.params);
    const body = parseInput(ensureSandboxInputSchema, req.body);
    const { project, isCreated } = await ensureSandboxProject(
      db,
      id,
      { name: body.name, expiresAt: new Date(body.expires_at * 1000) },
      { maxProjects: config.MAX_PROJECTS_PER_MERCHANT },
    );
    res.status(isCreated ? 201 : 200).json(toProjectResource(project));
  });

  // Ends a project as DELETE /v1/projects/:id does (a sandbox ends now and is archived).
  router.delete('/internal/merchants/:id/projects/:project_id', async (req, res) => {
    requireService(res, operator);
    const { id, project_id } = parseInput(projectParams, req.params);
    const project = await deleteProject(db, id, project_id);
    await deps.announce({ kind: 'project', ids: [project.id], reason: 'project_deleted' });
    res.json(toDeletedProjectResource(project));
  });

  router.post('/internal/merchants/:id/projects/:project_id/api_keys/ensure', async (req, res) => {
    requireService(res, operator);
    const { id, project_id } = parseInput(projectParams, req.params);
    const body = parseInput(ensureApiKeyInputSchema, req.body);
    const { details, isCreated } = await ensureApiKeyByName(db, id, project_id, body, {
      maxKeys: config.MAX_KEYS_PER_PROJECT,
    });
    const resource = toApiKeyResource(details);
    // The publishable key is readable any time, but it goes with the secret only once.
    if (!isCreated) res.status(200).json({ ...resource, publishable: undefined });
    else res.status(201).json(resource);
  });

  router.get('/internal/merchants/:id/projects/:project_id/api_keys/:key_id', async (req, res) => {
    requireService(res, operator);
    const { id, project_id, key_id } = parseInput(keyParams, req.params);
    res.json(toApiKeyResource(await getApiKey(db, id, project_id, key_id)));
  });

  router.post(
    '/internal/merchants/:id/projects/:project_id/api_keys/:key_id/reissue',
    async (req, res) => {
      requireService(res, operator);
      const { id, project_id, key_id } = parseInput(keyParams, req.params);
      const details = await reissueApiKey(db, id, project_id, key_id, {
        maxKeys: config.MAX_KEYS_PER_PROJECT,
      });
      res.status(201).json(toApiKeyResource(details));
    },
  );

  // Rotation with overlap: a new secret for the same key; the current one keeps working for
  // expires_in seconds.
  router.post(
    '/internal/merchants/:id/projects/:project_id/api_keys/:key_id/roll',
    async (req, res) => {
      requireService(res, operator);
      const { id, project_id, key_id } = parseInput(keyParams, req.params);
      const body = parseInput(rollApiKeyInputSchema, req.body ?? {});
      const details = await rollApiKey(db, id, project_id, key_id, body);
      await announceRolledSecrets(deps.announce, details);
      res.json(toApiKeyResource(details));
    },
  );

  router.delete(
    '/internal/merchants/:id/projects/:project_id/api_keys/:key_id',
    async (req, res) => {
      requireService(res, operator);
      const { id, project_id, key_id } = parseInput(keyParams, req.params);
      const details = await revokeApiKey(db, id, project_id, key_id);
      await deps.announce({ kind: 'api_key', ids: [details.key.id], reason: 'api_key_revoked' });
      res.json(toApiKeyResource(details));
    },
  );

  return router;
}
