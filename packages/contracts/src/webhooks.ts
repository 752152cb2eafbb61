import {
  deletedObjectSchema,
  idSchema,
  isHttpUrl,
  listCursorsOf,
  listOf,
  listQueryOf,
  listQuerySchema,
  oneCursorDirection,
  secretGraceSecondsSchema,
  timestampSchema,
} from './common.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { stripeWebhookEventTypes } from './stripe-vocabulary.js';
import { z } from './zod.js';

/** Events of the wallet (transfers, top-ups): they concern no merchant, so no endpoint gets them. */
export const walletEventTypes = ['transfer.completed', 'topup.succeeded'] as const;
export type WalletEventType = (typeof walletEventTypes)[number];

/** The event types a merchant can subscribe an endpoint to: every event but the wallet's. */
export const webhookEventTypes = [
  'payment.created',
  'payment.requires_action',
  'payment.processing',
  'payment.amount_capturable_updated',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
  'payment.expired',
  'refund.succeeded',
  'dispute.created',
  'dispute.updated',
  'dispute.closed',
  'payout.created',
  'payout.paid',
  'payout.failed',
  'payout.canceled',
  'payout.updated',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'payment_method.attached',
  'payment_method.detached',
  'qr_code.created',
  'qr_code.credited',
  'qr_code.closed',
  'payment_link.created',
  'payment_link.updated',
  'payment_link.paid',
  'checkout.session.completed',
  'checkout.session.expired',
  'webhook_endpoint.disabled',
  'payment_method.updated',
  'setup_intent.created',
  'setup_intent.requires_action',
  'setup_intent.succeeded',
  'setup_intent.setup_failed',
  'setup_intent.canceled',
  'charge.pending',
  'charge.succeeded',
  'charge.failed',
  'charge.captured',
  'charge.refunded',
  'charge.expired',
  'charge.updated',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** What `enabled_events` takes: every Expe type and every Stripe type above, once each. */
export const subscribableEventTypes = [
  ...new Set<string>([...webhookEventTypes, ...stripeWebhookEventTypes]),
] as [string, ...string[]];

/** The type of the synthetic event `POST /v1/webhook_endpoints/:id/test` sends. */
export const webhookTestEventType = 'webhook_endpoint.test';

/**
 * The shape of the URL only. Whether it may be called (https in live mode, no private or
 * loopback addresses) depends on the mode and on DNS, so the webhooks service checks that.
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine(isHttpUrl, 'must be an absolute http:// or https:// URL')
  .openapi({ format: 'uri', example: 'https://shop.example/webhooks/expe' });

/**
 * `["*"]` (every event) or a list of event types, Expe's or Stripe's names (see
 * `stripeWebhookEventTypes`); duplicates are dropped. An unknown type is refused by its value.
 */
export const enabledEventsSchema = z
  .array(
    z.enum(['*', ...subscribableEventTypes], {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not an event type Expe sends (Expe or Stripe names; see the API reference)`,
    }),
  )
  .min(1, 'must name at least one event type, or "*"')
  .max(subscribableEventTypes.length + 1)
  .refine(
    (events) => !events.includes('*') || events.every((event) => event === '*'),
    'use "*" alone: it already means every event',
  )
  .transform((events) => [...new Set(events)])
  .openapi({ example: ['payment.succeeded', 'refund.succeeded'] });

const descriptionSchema = z.string().trim().max(500);

/**
 * What deliveries carry: Expe's event with `Expe-Signature`, or Stripe's Event object with
 * `Stripe-Signature` (endpoints made through the Stripe-compatible API).
 */
export const webhookPayloadFormats = ['expe', 'stripe'] as const;
export const webhookPayloadFormatSchema = z.enum(webhookPayloadFormats).openapi({
  description:
    'expe: Expe events, Expe-Signature; stripe: Stripe Event objects (payment_intent.succeeded, …), Stripe-Signature',
});

/**
 * Webhook chaos (test mode only): deliveries to the endpoint misbehave on purpose so
 * a receiver can prove it dedupes by event id, tolerates order and survives retries. The
 * randomness is seeded (WEBHOOK_CHAOS_SEED, the event, the attempt), so a run can be repeated.
 */
export const webhookSimulateSchema = z
  .strictObject({
    /** Chance that a delivered event is delivered a second time (same event id). */
    duplicate_rate: z.number().min(0).max(1).default(0),
    /** Each attempt waits a random 0…max_delay_ms before it is sent. */
    max_delay_ms: z.number().int().min(0).max(10_000).default(0),
    /** Each event's first attempt is deferred by a random offset, so events arrive out of order. */
    reorder: z.boolean().default(false),
    /** The first n attempts of each delivery fail without reaching the receiver, then retry. */
    fail_first_attempts: z.number().int().min(0).max(5).default(0),
  })
  .openapi('WebhookSimulate');
export type WebhookSimulate = z.infer<typeof webhookSimulateSchema>;

export const createWebhookEndpointInputSchema = z
  .strictObject({
    url: webhookUrlSchema,
    enabled_events: enabledEventsSchema,
    description: descriptionSchema.optional(),
    format: webhookPayloadFormatSchema.default('expe'),
    simulate: webhookSimulateSchema.optional(),
  })
  .openapi('CreateWebhookEndpointInput');
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointInputSchema>;
/** What a client sends (before defaults and normalisation). */
export type CreateWebhookEndpointParams = z.input<typeof createWebhookEndpointInputSchema>;

export const updateWebhookEndpointInputSchema = z
  .strictObject({
    url: webhookUrlSchema.optional(),
    enabled_events: enabledEventsSchema.optional(),
    /** `null` or `""` clears it. */
    description: descriptionSchema.nullable().optional(),
    /** `true` stops deliveries (status `disabled`); `false` enables the endpoint again. */
    disabled: z.boolean().optional(),
    /** Replaces the chaos settings; `null` removes them. */
    simulate: webhookSimulateSchema.nullable().optional(),
  })
  .openapi('UpdateWebhookEndpointInput');
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointInputSchema>;
export type UpdateWebhookEndpointParams = z.input<typeof updateWebhookEndpointInputSchema>;

/** Seconds the old secret keeps signing after a rotation: 0 (stops now) up to 7 days. */
export const rotateWebhookSecretInputSchema = z
  .strictObject({
    expires_in: secretGraceSecondsSchema,
  })
  .openapi('RotateWebhookSecretInput');
export type RotateWebhookSecretInput = z.infer<typeof rotateWebhookSecretInputSchema>;
export type RotateWebhookSecretParams = z.input<typeof rotateWebhookSecretInputSchema>;

export const redeliverWebhookEventInputSchema = z
  .strictObject({ event: idSchema('evt') })
  .openapi('RedeliverWebhookEventInput');
export type RedeliverWebhookEventInput = z.infer<typeof redeliverWebhookEventInputSchema>;

export const webhookEndpointStatuses = ['enabled', 'disabled'] as const;
export const webhookEndpointStatusSchema = z.enum(webhookEndpointStatuses);

export const webhookEndpointSchema = z
  .object({
    id: idSchema('we'),
    object: z.literal('webhook_endpoint'),
    url: z.string(),
    enabled_events: z.array(z.string()),
    description: z.string().nullable(),
    status: webhookEndpointStatusSchema,
    livemode: z.boolean(),
    format: webhookPayloadFormatSchema.optional(),
    /** Test mode only: the chaos deliveries simulate, when set. */
    simulate: webhookSimulateSchema.optional(),
    /** Only in the create and rotate_secret responses. */
    secret: z.string().optional().openapi({ example: 'whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH' }),
    created: timestampSchema,
  })
  .openapi('WebhookEndpoint');
export type WebhookEndpointResource = z.infer<typeof webhookEndpointSchema>;

export const deletedWebhookEndpointSchema = deletedObjectSchema('we', 'webhook_endpoint').openapi(
  'DeletedWebhookEndpoint',
);
export type DeletedWebhookEndpointResource = z.infer<typeof deletedWebhookEndpointSchema>;

const eventReferenceSchema = z.object({ id: idSchema('evt'), type: z.string() });

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed', 'canceled'] as const;
/** One attempt's outcome: delivered, failed and retried later, or failed for good. */
export const webhookAttemptOutcomes = ['succeeded', 'failed_attempt', 'failed'] as const;

/** One event on its way to one endpoint; retried until it succeeds or the schedule ends. */
export const webhookDeliverySchema = z
  .object({
    id: idSchema('whd'),
    object: z.literal('webhook_delivery'),
    endpoint: idSchema('we'),
    event: eventReferenceSchema,
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    /** When the next attempt is due, while pending. */
    next_attempt: timestampSchema.nullable(),
    /** Made by `redeliver` or `test` rather than by the event's fan-out. */
    manual: z.boolean(),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('WebhookDelivery');
export type WebhookDeliveryResource = z.infer<typeof webhookDeliverySchema>;

/**
 * One HTTP attempt of a delivery, as the attempt log shows it. `outcome`: `succeeded` (2xx in
 * time), `failed_attempt` (another attempt follows at `next_retry`) or `failed` (the last one).
 */
export const webhookDeliveryAttemptSchema = z
  .object({
    id: idSchema('wha'),
    object: z.literal('webhook_delivery_attempt'),
    delivery: idSchema('whd'),
    endpoint: idSchema('we'),
    event: eventReferenceSchema,
    attempt: z.number().int().min(1),
    url: z.string(),
    outcome: z.enum(webhookAttemptOutcomes),
    status_code: z.number().int().nullable(),
    latency_ms: z.number().int().nullable(),
    /** The start of the response body, at most 1 KB. */
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
    next_retry: timestampSchema.nullable(),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('WebhookDeliveryAttempt');
export type WebhookDeliveryAttemptResource = z.infer<typeof webhookDeliveryAttemptSchema>;

export const webhookEndpointParamsSchema = z.object({ id: idSchema('we') });

export const listWebhookEndpointsQuerySchema = listQueryOf('we');
export type ListWebhookEndpointsQuery = z.infer<typeof listWebhookEndpointsQuerySchema>;

/** Newest attempt first; `event` keeps to the attempts of one event. */
export const listWebhookDeliveryAttemptsQuerySchema = listQuerySchema
  .extend({ ...listCursorsOf('wha'), event: idSchema('evt').optional() })
  .refine(...oneCursorDirection);
export type ListWebhookDeliveryAttemptsQuery = z.infer<
  typeof listWebhookDeliveryAttemptsQuerySchema
>;

export function registerWebhookRoutes(registry: Registry): void {
  const tags = ['Webhook endpoints'];
  const secretKey = [...security.secretKey];
  const params = webhookEndpointParamsSchema;
  const missing = { 404: jsonResponse(z.any(), 'No such webhook endpoint (or not yours)') };
  const idempotencyKey = z.object({
    'Idempotency-Key': z.string().max(255).optional().openapi({
      description: 'Accepted on every POST',
    }),
  });
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/webhook_endpoints',
      tags,
      summary: 'Register a webhook endpoint; the signing secret is in this response only',
      security: secretKey,
      request: { headers: idempotencyKey, body: jsonBody(createWebhookEndpointInputSchema) },
      responses: { 201: jsonResponse(webhookEndpointSchema, 'The endpoint, with its secret') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/webhook_endpoints',
      tags,
      summary: "List the endpoints of the key's merchant and mode, newest first",
      security: secretKey,
      request: { query: listWebhookEndpointsQuerySchema },
      responses: { 200: jsonResponse(listOf(webhookEndpointSchema), 'A page of endpoints') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/webhook_endpoints/{id}',
      tags,
      summary: 'Retrieve a webhook endpoint',
      security: secretKey,
      request: { params },
      responses: { 200: jsonResponse(webhookEndpointSchema, 'The endpoint'), ...missing },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/webhook_endpoints/{id}',
      tags,
      summary: 'Update the URL, events or description; disable or enable the endpoint',
      security: secretKey,
      request: {
        params,
        headers: idempotencyKey,
        body: jsonBody(updateWebhookEndpointInputSchema),
      },
      responses: { 200: jsonResponse(webhookEndpointSchema, 'The endpoint'), ...missing },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'delete',
      path: '/v1/webhook_endpoints/{id}',
      tags,
      summary: 'Delete a webhook endpoint; pending deliveries to it stop',
      security: secretKey,
      request: { params },
      responses: { 200: jsonResponse(deletedWebhookEndpointSchema, 'Deleted'), ...missing },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/webhook_endpoints/{id}/rotate_secret',
      tags,
      summary: 'Issue a new signing secret; the old one keeps signing for expires_in seconds',
      security: secretKey,
      request: {
        params,
        headers: idempotencyKey,
        body: jsonBody(rotateWebhookSecretInputSchema),
      },
      responses: {
        200: jsonResponse(webhookEndpointSchema, 'The endpoint, with its new secret'),
        ...missing,
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/webhook_endpoints/{id}/test',
      tags,
      summary: `Send a synthetic ${webhookTestEventType} event through the delivery path`,
      security: secretKey,
      request: { params, headers: idempotencyKey },
      responses: {
        202: jsonResponse(webhookDeliverySchema, 'The queued delivery'),
        409: jsonResponse(z.any(), 'The endpoint is disabled'),
        ...missing,
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/webhook_endpoints/{id}/deliveries',
      tags,
      summary: 'The attempt log of an endpoint, newest first',
      security: secretKey,
      request: { params, query: listWebhookDeliveryAttemptsQuerySchema },
      responses: {
        200: jsonResponse(listOf(webhookDeliveryAttemptSchema), 'A page of attempts'),
        ...missing,
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/webhook_endpoints/{id}/redeliver',
      tags,
      summary: 'Send an event to this endpoint again, as a new delivery',
      security: secretKey,
      request: {
        params,
        headers: idempotencyKey,
        body: jsonBody(redeliverWebhookEventInputSchema),
      },
      responses: {
        202: jsonResponse(webhookDeliverySchema, 'The queued delivery'),
        409: jsonResponse(z.any(), 'The endpoint is disabled'),
        ...missing,
      },
    }),
  );
}
