import express, { type Router } from 'express';
import { merchantsInternalApi as api } from '@expe/contracts';
import { serveInternal } from '@expe/server-kit';
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

/** The merchant as other Expe components see it: the public resource plus its lifecycle. */
function toInternalMerchant(merchant: MerchantRow) {
  return { ...toMerchantResource(merchant), deactivated: merchant.deactivatedAt !== null };
}

/**
 * The internal API of `@expe/contracts` (`merchantsInternalApi`): the contract names each
 * route's callers and schemas; the gateway never forwards `/internal/...`. Mounted in the
 * contract's order (`deactivate` before `/internal/merchants/:id`).
 */
export function internalRoutes(deps: RouteDeps): Router {
  const { db, config } = deps;
  const router = express.Router();
  const limits = {
    maxProjects: config.MAX_PROJECTS_PER_MERCHANT,
    maxKeys: config.MAX_KEYS_PER_PROJECT,
  };

  serveInternal(router, api.ensureMerchant, async ({ body }) => {
    const owner = body.owner_user_id
      ? { ownerUserId: body.owner_user_id }
      : { externalRef: body.external_ref ?? '' };
    const { merchant, isCreated } = await ensureMerchant(db, {
      ...owner,
      name: body.name,
      email: body.email,
    });
    return { status: isCreated ? 201 : 200, body: toInternalMerchant(merchant) };
  });

  serveInternal(router, api.getMerchantOfOwner, async ({ params }) => ({
    status: 200,
    body: toInternalMerchant(await getMerchantOfUser(db, params.user_id)),
  }));

  serveInternal(router, api.getMerchant, async ({ params }) => ({
    status: 200,
    body: toInternalMerchant(await getMerchant(db, params.id)),
  }));

  serveInternal(router, api.getProject, async ({ params }) => {
    const project = await getProject(db, params.id, params.project_id);
    return {
      status: 200,
      body: { ...toProjectResource(project), merchant_id: project.merchantId },
    };
  });

  // An unknown or ended key is the contract's 404 (resolveApiKey's AppError), never a 401.
  serveInternal(router, api.resolveApiKey, async ({ body }) => {
    const key = await resolveApiKey(db, body.hash, {
      lastUsedResolutionSeconds: config.API_KEY_LAST_USED_RESOLUTION_SECONDS,
    });
    return {
      status: 200,
      body: {
        key_id: key.keyId,
        key_type: key.keyType,
        merchant_id: key.merchantId,
        project_id: key.projectId,
        mode: key.mode,
      },
    };
  });

  serveInternal(router, api.listEndedSandboxes, async ({ query }) => {
    const ended = await listEndedSandboxes(db, query.limit);
    return {
      status: 200,
      body: {
        data: ended.map((project) => ({ project_id: project.id, merchant_id: project.merchantId })),
      },
    };
  });

  serveInternal(router, api.reportSandboxArchived, async ({ params }) => {
    const project = await markSandboxEnded(db, params.project_id);
    await deps.announce({ kind: 'project', ids: [project.id], reason: 'sandbox_ended' });
    return { status: 200, body: { project_id: project.id, archived: true } };
  });

  serveInternal(router, api.deactivateMerchant, async ({ body }) => {
    const result = await deactivateMerchant(
      db,
      body.merchant_id
        ? { merchantId: body.merchant_id }
        : { externalRef: body.external_ref ?? '' },
    );
    if (!result) {
      return { status: 200, body: { object: 'deactivation', merchant: null, revoked_keys: 0 } };
    }
    await deps.announce({
      kind: 'merchant',
      ids: [result.merchant.id],
      reason: 'merchant_deactivated',
    });
    return {
      status: 200,
      body: {
        object: 'deactivation',
        merchant: toInternalMerchant(result.merchant),
        revoked_keys: result.revokedKeys,
      },
    };
  });

  serveInternal(router, api.updateMerchantProfile, async ({ params, body }) => ({
    status: 200,
    body: toMerchantResource(await updateMerchantProfile(db, params.id, body)),
  }));

  serveInternal(router, api.ensureProject, async ({ params, body }) => {
    const { project, isCreated } = await ensureProjectByName(db, params.id, body.name, limits);
    return { status: isCreated ? 201 : 200, body: toProjectResource(project) };
  });

  serveInternal(router, api.ensureSandbox, async ({ params, body }) => {
    const { project, isCreated } = await ensureSandboxProject(
      db,
      params.id,
      { name: body.name, expiresAt: new Date(body.expires_at * 1000) },
      limits,
    );
    return { status: isCreated ? 201 : 200, body: toProjectResource(project) };
  });

  serveInternal(router, api.deleteProject, async ({ params }) => {
    const project = await deleteProject(db, params.id, params.project_id);
    await deps.announce({ kind: 'project', ids: [project.id], reason: 'project_deleted' });
    return { status: 200, body: toDeletedProjectResource(project) };
  });

  serveInternal(router, api.ensureApiKey, async ({ params, body }) => {
    const { details, isCreated } = await ensureApiKeyByName(
      db,
      params.id,
      params.project_id,
      body,
      limits,
    );
    const resource = toApiKeyResource(details);
    // The publishable key is readable any time, but it goes with the secret only once.
    return isCreated
      ? { status: 201, body: resource }
      : { status: 200, body: { ...resource, publishable: undefined } };
  });

  serveInternal(router, api.getApiKey, async ({ params }) => ({
    status: 200,
    body: toApiKeyResource(await getApiKey(db, params.id, params.project_id, params.key_id)),
  }));

  serveInternal(router, api.reissueApiKey, async ({ params }) => {
    const details = await reissueApiKey(db, params.id, params.project_id, params.key_id, limits);
    return { status: 201, body: toApiKeyResource(details) };
  });

  serveInternal(router, api.rollApiKey, async ({ params, body }) => {
    const details = await rollApiKey(db, params.id, params.project_id, params.key_id, body);
    await announceRolledSecrets(deps.announce, details);
    return { status: 200, body: toApiKeyResource(details) };
  });

  serveInternal(router, api.revokeApiKey, async ({ params }) => {
    const details = await revokeApiKey(db, params.id, params.project_id, params.key_id);
    await deps.announce({ kind: 'api_key', ids: [details.key.id], reason: 'api_key_revoked' });
    return { status: 200, body: toApiKeyResource(details) };
  });

  return router;
}
