import { emailSchema, idSchema, modeSchema, nameSchema } from '../common.js';
import {
  apiKeySchema,
  merchantSchema,
  projectSchema,
  rollApiKeyInputSchema,
} from '../merchants.js';
import { z } from '../zod.js';
import { internalErrorSchema, internalRoute } from './route.js';

const externalRefSchema = z.string().trim().min(1, 'must not be empty').max(255);

/** Body of `POST /internal/merchants`: exactly one of owner_user_id and external_ref. */
export const ensureMerchantInputSchema = z
  .strictObject({
    owner_user_id: idSchema('usr').optional(),
    external_ref: externalRefSchema.optional(),
    name: nameSchema,
    email: emailSchema,
  })
  .refine((input) => (input.owner_user_id === undefined) !== (input.external_ref === undefined), {
    path: ['owner_user_id'],
    message: 'send exactly one of owner_user_id and external_ref',
  });
export type EnsureMerchantBody = z.infer<typeof ensureMerchantInputSchema>;

/** Body of `POST /internal/merchants/deactivate`: the merchant by id or by external reference. */
export const deactivateMerchantInputSchema = z
  .strictObject({
    merchant_id: idSchema('mer').optional(),
    external_ref: externalRefSchema.optional(),
  })
  .refine((input) => (input.merchant_id === undefined) !== (input.external_ref === undefined), {
    path: ['merchant_id'],
    message: 'send exactly one of merchant_id and external_ref',
  });

/** Body of `POST /internal/api-keys/resolve`: the SHA-256 of the presented key. */
export const resolveApiKeyInputSchema = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the key in lower-case hex'),
});

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

/** The merchant as other Expe components see it: the public resource plus its lifecycle. */
export const internalMerchantSchema = merchantSchema.extend({ deactivated: z.boolean() });
export type InternalMerchant = z.infer<typeof internalMerchantSchema>;

/** Who a presented API key belongs to. */
export const resolvedApiKeySchema = z.object({
  key_id: idSchema('key'),
  key_type: z.enum(['secret', 'publishable']),
  merchant_id: idSchema('mer'),
  project_id: idSchema('prj'),
  mode: modeSchema,
});
export type ResolvedApiKeyResource = z.infer<typeof resolvedApiKeySchema>;

/** An API key as the ensure answer gives it: secret and publishable only when created now. */
export const ensuredApiKeySchema = apiKeySchema.extend({ publishable: z.string().optional() });
export type EnsuredApiKey = z.infer<typeof ensuredApiKeySchema>;

const merchantParams = z.object({ id: idSchema('mer') });
const projectParams = merchantParams.extend({ project_id: idSchema('prj') });
const keyParams = projectParams.extend({ key_id: idSchema('key') });
/** Services that show or scope by merchant (payments, webhooks, the operator). */
const merchantReaders = ['gateway', 'payments', 'webhooks', 'operator'] as const;

/**
 * The merchants service's internal API. In mounting order: `POST /internal/merchants/deactivate`
 * comes before `POST /internal/merchants/:id`, which would take "deactivate" for an id. The
 * operator's writes are idempotent by the resource's identity (merchant id, project name, key
 * name and mode) so a reconcile can be repeated or cut short.
 */
export const merchantsInternalApi = {
  ensureMerchant: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants',
    callers: ['auth', 'operator'],
    body: ensureMerchantInputSchema,
    responses: { 200: internalMerchantSchema, 201: internalMerchantSchema },
  }),
  getMerchantOfOwner: internalRoute({
    service: 'merchants',
    method: 'GET',
    path: '/internal/merchants/by-owner/:user_id',
    callers: merchantReaders,
    params: z.object({ user_id: idSchema('usr') }),
    responses: { 200: internalMerchantSchema, 404: internalErrorSchema },
  }),
  getMerchant: internalRoute({
    service: 'merchants',
    method: 'GET',
    path: '/internal/merchants/:id',
    callers: merchantReaders,
    params: merchantParams,
    responses: { 200: internalMerchantSchema, 404: internalErrorSchema },
  }),
  /** The gateway answers requests without Expe-Version with the version of the key's project. */
  getProject: internalRoute({
    service: 'merchants',
    method: 'GET',
    path: '/internal/merchants/:id/projects/:project_id',
    callers: ['gateway'],
    params: projectParams,
    responses: {
      200: projectSchema.extend({ merchant_id: idSchema('mer') }),
      404: internalErrorSchema,
    },
  }),
  /**
   * An unknown or ended key is 404 (no such key here), not the catalog's 401: the 401 is the
   * gateway's answer to its caller, made from this answer's `error.code` (`invalid_api_key`,
   * `expired_api_key`).
   */
  resolveApiKey: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/api-keys/resolve',
    callers: ['gateway'],
    body: resolveApiKeyInputSchema,
    responses: { 200: resolvedApiKeySchema, 404: internalErrorSchema },
  }),
  /** Payments archives ended sandboxes' test data (as a reset does) and then reports each one. */
  listEndedSandboxes: internalRoute({
    service: 'merchants',
    method: 'GET',
    path: '/internal/sandboxes/ended',
    callers: ['payments'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }),
    responses: {
      200: z.object({
        data: z.array(z.object({ project_id: idSchema('prj'), merchant_id: idSchema('mer') })),
      }),
    },
  }),
  /** 404: already reported (by another replica, or before a retry). */
  reportSandboxArchived: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/sandboxes/:project_id/archived',
    callers: ['payments'],
    params: z.object({ project_id: idSchema('prj') }),
    responses: {
      200: z.object({ project_id: idSchema('prj'), archived: z.literal(true) }),
      404: internalErrorSchema,
    },
  }),
  /** Revokes every key of the merchant and deactivates it; a missing merchant is done already. */
  deactivateMerchant: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/deactivate',
    callers: ['operator'],
    body: deactivateMerchantInputSchema,
    responses: {
      200: z.object({
        object: z.literal('deactivation'),
        merchant: internalMerchantSchema.nullable(),
        revoked_keys: z.number().int().nonnegative(),
      }),
    },
  }),
  updateMerchantProfile: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/:id',
    callers: ['operator'],
    params: merchantParams,
    body: updateMerchantProfileInputSchema,
    responses: { 200: merchantSchema, 404: internalErrorSchema },
  }),
  ensureProject: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/:id/projects/ensure',
    callers: ['operator'],
    params: merchantParams,
    body: ensureProjectInputSchema,
    responses: { 200: projectSchema, 201: projectSchema },
  }),
  /** The Sandbox resource: a project that ends at a given time, found again by its name. */
  ensureSandbox: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/:id/sandboxes/ensure',
    callers: ['operator'],
    params: merchantParams,
    body: ensureSandboxInputSchema,
    responses: { 200: projectSchema, 201: projectSchema },
  }),
  /** Ends a project as DELETE /v1/projects/:id does (a sandbox ends now and is archived). */
  deleteProject: internalRoute({
    service: 'merchants',
    method: 'DELETE',
    path: '/internal/merchants/:id/projects/:project_id',
    callers: ['operator'],
    params: projectParams,
    responses: {
      200: z.object({
        id: idSchema('prj'),
        object: z.literal('project'),
        deleted: z.literal(true),
      }),
      404: internalErrorSchema,
    },
  }),
  /** The publishable key is readable any time, but it goes with the secret only once (201). */
  ensureApiKey: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/:id/projects/:project_id/api_keys/ensure',
    callers: ['operator'],
    params: projectParams,
    body: ensureApiKeyInputSchema,
    responses: { 200: ensuredApiKeySchema, 201: apiKeySchema },
  }),
  getApiKey: internalRoute({
    service: 'merchants',
    method: 'GET',
    path: '/internal/merchants/:id/projects/:project_id/api_keys/:key_id',
    callers: ['operator'],
    params: keyParams,
    responses: { 200: apiKeySchema, 404: internalErrorSchema },
  }),
  reissueApiKey: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/:id/projects/:project_id/api_keys/:key_id/reissue',
    callers: ['operator'],
    params: keyParams,
    responses: { 201: apiKeySchema },
  }),
  /** Rotation with overlap: the current secret keeps working for expires_in seconds. */
  rollApiKey: internalRoute({
    service: 'merchants',
    method: 'POST',
    path: '/internal/merchants/:id/projects/:project_id/api_keys/:key_id/roll',
    callers: ['operator'],
    params: keyParams,
    body: rollApiKeyInputSchema,
    responses: { 200: apiKeySchema },
  }),
  revokeApiKey: internalRoute({
    service: 'merchants',
    method: 'DELETE',
    path: '/internal/merchants/:id/projects/:project_id/api_keys/:key_id',
    callers: ['operator'],
    params: keyParams,
    responses: { 200: apiKeySchema, 404: internalErrorSchema },
  }),
};
