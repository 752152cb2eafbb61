import {
  deletedObjectSchema,
  idSchema,
  listOf,
  listQueryOf,
  modeSchema,
  nameSchema,
  secretGraceSecondsSchema,
  timestampSchema,
} from './common.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { apiVersions } from './api-versions.js';
import { z } from './zod.js';

export const merchantSchema = z
  .object({
    id: idSchema('mer'),
    object: z.literal('merchant'),
    name: z.string(),
    email: z.string(),
    created: timestampSchema,
  })
  .openapi('Merchant');
export type MerchantResource = z.infer<typeof merchantSchema>;

export const updateMerchantInputSchema = z
  .strictObject({ name: nameSchema })
  .openapi('UpdateMerchantInput');
export type UpdateMerchantInput = z.infer<typeof updateMerchantInputSchema>;

export const projectSchema = z
  .object({
    id: idSchema('prj'),
    object: z.literal('project'),
    name: z.string(),
    /** The API version requests without an Expe-Version header get (pinned at creation). */
    api_version: z.enum(apiVersions),
    created: timestampSchema,
    /**
     * When a sandbox ends (Unix seconds); null for a project that lasts. Past it the project's
     * keys stop answering and its test data is archived, as a reset archives it.
     */
    expires_at: timestampSchema.nullable(),
  })
  .openapi('Project');
export type ProjectResource = z.infer<typeof projectSchema>;

/** A sandbox lives at least a minute and at most 30 days. */
export const projectTtlLimits = { minSeconds: 60, maxSeconds: 30 * 24 * 3600 } as const;

export const createProjectInputSchema = z
  .strictObject({
    name: nameSchema,
    ttl_seconds: z
      .number()
      .int('must be a whole number of seconds')
      .min(projectTtlLimits.minSeconds, `must be at least ${projectTtlLimits.minSeconds}`)
      .max(projectTtlLimits.maxSeconds, `must be at most ${projectTtlLimits.maxSeconds} (30 days)`)
      .optional()
      .openapi({
        description:
          'Makes the project a sandbox that ends this many seconds after creation: test keys only; at its end its keys stop answering and its test data is archived. Omit for a project that lasts.',
        example: 3600,
      }),
  })
  .openapi('CreateProjectInput');
export type CreateProjectInput = z.infer<typeof createProjectInputSchema>;

export const updateProjectInputSchema = z
  .strictObject({ name: nameSchema })
  .openapi('UpdateProjectInput');
export type UpdateProjectInput = z.infer<typeof updateProjectInputSchema>;

export const apiKeySchema = z
  .object({
    id: idSchema('key'),
    object: z.literal('api_key'),
    name: z.string(),
    mode: modeSchema,
    project: idSchema('prj'),
    /** Only in the create and roll responses. */
    secret: z.string().optional().openapi({ example: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc' }),
    /** Masked form, safe to show: `sk_test_…p7dc`. */
    secret_masked: z.string(),
    publishable: z.string().openapi({ example: 'pk_test_TYooMQauvdEDq54NiTphI7jx' }),
    status: z.enum(['active', 'revoked']),
    /** Older secrets that still work until they expire after a roll. */
    expiring_secrets: z.array(z.object({ secret_masked: z.string(), expires: timestampSchema })),
    last_used: timestampSchema.nullable(),
    created: timestampSchema,
  })
  .openapi('ApiKey');
export type ApiKeyResource = z.infer<typeof apiKeySchema>;

export const createApiKeyInputSchema = z
  .strictObject({ name: nameSchema, mode: modeSchema })
  .openapi('CreateApiKeyInput');
export type CreateApiKeyInput = z.infer<typeof createApiKeyInputSchema>;

/** Seconds the old secret keeps working after a roll: 0 (now) up to 7 days; default 24 h. */
export const rollApiKeyInputSchema = z
  .strictObject({
    expires_in: secretGraceSecondsSchema,
  })
  .openapi('RollApiKeyInput');
export type RollApiKeyInput = z.infer<typeof rollApiKeyInputSchema>;

export const accountSchema = z
  .object({
    object: z.literal('account'),
    merchant_id: idSchema('mer'),
    project_id: idSchema('prj'),
    mode: modeSchema,
    key_id: idSchema('key').nullable().openapi({
      description:
        "The API key of the request; null when a merchant user's session acts for the project (Expe-Project, Expe-Mode)",
    }),
  })
  .openapi('Account');
export type AccountResource = z.infer<typeof accountSchema>;

export const projectIdParamsSchema = z.object({ id: idSchema('prj') });
export const apiKeyParamsSchema = z.object({ id: idSchema('prj'), key_id: idSchema('key') });

export function registerMerchantRoutes(registry: Registry): void {
  const merchant = ['Merchants'];
  const keys = ['API keys'];
  const user = [...security.user];
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/merchants/me',
      tags: merchant,
      summary: "The signed-in merchant's profile",
      security: user,
      responses: { 200: jsonResponse(merchantSchema, 'The merchant') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/merchants/me',
      tags: merchant,
      summary: "Update the signed-in merchant's profile",
      security: user,
      request: { body: jsonBody(updateMerchantInputSchema) },
      responses: { 200: jsonResponse(merchantSchema, 'The merchant') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/projects',
      tags: merchant,
      summary: 'Create a project',
      security: user,
      request: { body: jsonBody(createProjectInputSchema) },
      responses: { 201: jsonResponse(projectSchema, 'The project') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/projects',
      tags: merchant,
      summary: "List the merchant's projects, newest first",
      security: user,
      request: { query: listQueryOf('prj') },
      responses: { 200: jsonResponse(listOf(projectSchema), 'A page of projects') },
    }),
  );
  for (const [method, summary, status] of [
    ['get', 'Retrieve a project', 200],
    ['post', 'Rename a project', 200],
    ['delete', 'Delete a project and revoke its keys', 200],
  ] as const) {
    registry.registerPath(
      withErrors({
        method,
        path: '/v1/projects/{id}',
        tags: merchant,
        summary,
        security: user,
        request: {
          params: projectIdParamsSchema,
          ...(method === 'post' ? { body: jsonBody(updateProjectInputSchema) } : {}),
        },
        responses: {
          [status]: jsonResponse(
            method === 'delete' ? deletedObjectSchema('prj', 'project') : projectSchema,
            'The project',
          ),
          404: jsonResponse(z.any(), 'No such project (or not yours)'),
        },
      }),
    );
  }
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/projects/{id}/api_keys',
      tags: keys,
      summary: 'Create an API key; the secret is in this response only',
      security: user,
      request: { params: projectIdParamsSchema, body: jsonBody(createApiKeyInputSchema) },
      responses: { 201: jsonResponse(apiKeySchema, 'The key, with its secret') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/projects/{id}/api_keys',
      tags: keys,
      summary: "List a project's API keys, secrets masked",
      security: user,
      request: { params: projectIdParamsSchema, query: listQueryOf('key') },
      responses: { 200: jsonResponse(listOf(apiKeySchema), 'A page of keys') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'delete',
      path: '/v1/projects/{id}/api_keys/{key_id}',
      tags: keys,
      summary: 'Revoke an API key at once',
      security: user,
      request: { params: apiKeyParamsSchema },
      responses: { 200: jsonResponse(apiKeySchema, 'The revoked key') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/projects/{id}/api_keys/{key_id}/roll',
      tags: keys,
      summary: 'Issue a new secret; the old one keeps working for expires_in seconds',
      security: user,
      request: { params: apiKeyParamsSchema, body: jsonBody(rollApiKeyInputSchema) },
      responses: { 200: jsonResponse(apiKeySchema, 'The key, with its new secret') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/account',
      tags: merchant,
      summary: 'Who this secret key belongs to',
      security: [...security.secretKey],
      responses: { 200: jsonResponse(accountSchema, 'The account') },
    }),
  );
}
