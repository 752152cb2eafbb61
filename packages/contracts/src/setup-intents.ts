import {
  idSchema,
  listCursorsOf,
  listOf,
  listQuerySchema,
  metadataSchema,
  metadataUpdateSchema,
  oneCursorDirection,
  timestampSchema,
} from './common.js';
import { httpUrlSchema, nextActionSchema } from './payments.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

/**
 * SetupIntents: saving a card on a customer without a payment, as Stripe's. Confirming checks
 * the card with the sandbox network: a declining card fails the setup (`last_setup_error`), a
 * 3-D Secure card is challenged on the hosted page first, and success attaches the
 * PaymentMethod to the customer.
 */

export const setupIntentStatuses = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'succeeded',
  'canceled',
] as const;
export const setupIntentStatusSchema = z.enum(setupIntentStatuses);

export const setupIntentUsages = ['on_session', 'off_session'] as const;
export const setupIntentUsageSchema = z.enum(setupIntentUsages);

export const createSetupIntentInputSchema = z
  .strictObject({
    customer: idSchema('cus').optional(),
    payment_method: idSchema('pm').optional(),
    usage: setupIntentUsageSchema.default('off_session'),
    confirm: z.boolean().optional(),
    description: z.string().max(500).optional(),
    metadata: metadataSchema.optional(),
    return_url: httpUrlSchema.optional().openapi({
      description: 'Where the 3-D Secure challenge sends the cardholder back',
    }),
  })
  .openapi('CreateSetupIntentInput');
export type CreateSetupIntentInput = z.infer<typeof createSetupIntentInputSchema>;

export const updateSetupIntentInputSchema = z
  .strictObject({
    customer: idSchema('cus').optional(),
    payment_method: idSchema('pm').optional(),
    description: z.string().max(500).nullable().optional(),
    metadata: metadataUpdateSchema.optional(),
  })
  .openapi('UpdateSetupIntentInput');
export type UpdateSetupIntentInput = z.infer<typeof updateSetupIntentInputSchema>;

export const confirmSetupIntentInputSchema = z
  .strictObject({
    payment_method: idSchema('pm').optional(),
    return_url: httpUrlSchema.optional().openapi({
      description: 'Replaces the return_url given at creation',
    }),
  })
  .openapi('ConfirmSetupIntentInput');
export type ConfirmSetupIntentInput = z.infer<typeof confirmSetupIntentInputSchema>;

export const cancelSetupIntentInputSchema = z
  .strictObject({
    cancellation_reason: z.enum(['abandoned', 'requested_by_customer', 'duplicate']).optional(),
  })
  .openapi('CancelSetupIntentInput');
export type CancelSetupIntentInput = z.infer<typeof cancelSetupIntentInputSchema>;

export const authenticateSetupIntentInputSchema = z
  .strictObject({
    client_secret: z.string().min(10).max(200),
    outcome: z.enum(['complete', 'fail']),
  })
  .openapi('AuthenticateSetupIntentInput');
export type AuthenticateSetupIntentInput = z.infer<typeof authenticateSetupIntentInputSchema>;

export const listSetupIntentsQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('seti'),
    customer: idSchema('cus').optional(),
    payment_method: idSchema('pm').optional(),
  })
  .refine(...oneCursorDirection);

export const setupErrorSchema = z.object({
  type: z.enum(['card_error', 'invalid_request_error']),
  code: z.string(),
  message: z.string(),
  decline_code: z.string().optional(),
});
export type SetupErrorResource = z.infer<typeof setupErrorSchema>;

export const setupIntentSchema = z
  .object({
    id: idSchema('seti'),
    object: z.literal('setup_intent'),
    status: setupIntentStatusSchema,
    usage: setupIntentUsageSchema,
    customer: idSchema('cus').nullable(),
    payment_method: idSchema('pm').nullable(),
    payment_method_types: z.array(z.literal('card')),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    last_setup_error: setupErrorSchema.nullable(),
    next_action: nextActionSchema.nullable(),
    cancellation_reason: z.string().nullable(),
    return_url: z.string().nullable().openapi({
      description: 'Where the 3-D Secure challenge sends the cardholder back',
    }),
    client_secret: z.string().openapi({
      description: 'Authorizes the hosted 3-D Secure challenge page (POST …/authenticate)',
    }),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('SetupIntent');
export type SetupIntentResource = z.infer<typeof setupIntentSchema>;

export function registerSetupIntentRoutes(registry: Registry): void {
  const key = [...security.secretKey];
  const idempotencyHeader = z.object({ 'idempotency-key': z.string().max(255).optional() });
  const params = z.object({ id: idSchema('seti') });
  const tags = ['Setup intents'];
  const route = (config: Parameters<typeof withErrors>[0]) =>
    registry.registerPath(withErrors(config));
  const declined = jsonResponse(z.any(), 'The card was declined: the error carries setup_intent');

  route({
    method: 'post',
    path: '/v1/setup_intents',
    tags,
    summary: 'Create a SetupIntent (confirm: true confirms it at once)',
    security: key,
    request: { body: jsonBody(createSetupIntentInputSchema), headers: idempotencyHeader },
    responses: { 201: jsonResponse(setupIntentSchema, 'The SetupIntent'), 402: declined },
  });
  route({
    method: 'get',
    path: '/v1/setup_intents',
    tags,
    summary: 'List SetupIntents, newest first (filter customer, payment_method)',
    security: key,
    request: { query: listSetupIntentsQuerySchema },
    responses: { 200: jsonResponse(listOf(setupIntentSchema), 'A page of SetupIntents') },
  });
  route({
    method: 'get',
    path: '/v1/setup_intents/{id}',
    tags,
    summary: 'Retrieve a SetupIntent',
    security: key,
    request: { params },
    responses: { 200: jsonResponse(setupIntentSchema, 'The SetupIntent') },
  });
  route({
    method: 'post',
    path: '/v1/setup_intents/{id}',
    tags,
    summary: 'Update a SetupIntent (customer and payment_method until it succeeds)',
    security: key,
    request: { params, body: jsonBody(updateSetupIntentInputSchema), headers: idempotencyHeader },
    responses: { 200: jsonResponse(setupIntentSchema, 'The SetupIntent') },
  });
  route({
    method: 'post',
    path: '/v1/setup_intents/{id}/confirm',
    tags,
    summary: 'Confirm a SetupIntent: the card is checked, then attached to the customer',
    description:
      'succeeded: the PaymentMethod is attached to the customer; requires_action: a 3-D Secure card waits for the hosted challenge (`next_action.redirect_to_url.url`); a declined card is 402 and the SetupIntent goes back to requires_payment_method with last_setup_error.',
    security: key,
    request: { params, body: jsonBody(confirmSetupIntentInputSchema), headers: idempotencyHeader },
    responses: { 200: jsonResponse(setupIntentSchema, 'The SetupIntent'), 402: declined },
  });
  route({
    method: 'post',
    path: '/v1/setup_intents/{id}/cancel',
    tags,
    summary: 'Cancel a SetupIntent that has not succeeded',
    security: key,
    request: { params, body: jsonBody(cancelSetupIntentInputSchema), headers: idempotencyHeader },
    responses: { 200: jsonResponse(setupIntentSchema, 'The canceled SetupIntent') },
  });
  route({
    method: 'post',
    path: '/v1/setup_intents/{id}/authenticate',
    tags,
    summary: "The cardholder's answer to the 3-D Secure challenge of a setup",
    description:
      'What the hosted challenge page calls, authorized by `client_secret`. complete: the setup succeeds and the card is attached; fail: back to requires_payment_method with last_setup_error.code setup_intent_authentication_failure.',
    security: [...security.none],
    request: {
      params,
      body: jsonBody(authenticateSetupIntentInputSchema),
      headers: idempotencyHeader,
    },
    responses: { 200: jsonResponse(setupIntentSchema, 'The SetupIntent') },
  });
}
