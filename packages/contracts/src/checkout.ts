import {
  emailSchema,
  idSchema,
  listOf,
  listQuerySchema,
  metadataSchema,
  oneCursorDirection,
  timestampSchema,
} from './common.js';
import { currencySchema } from './money.js';
import { httpUrlSchema } from './payments.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

/**
 * Checkout Sessions: a cart (line items) paid on the hosted checkout page, as Stripe's. A session
 * owns the payment it opens; paying it completes the session, expiring it cancels the payment.
 * Its id is Stripe's own form (`cs_test_…`, `cs_live_…`), the same on both ports.
 */

/** `cs_test_…` or `cs_live_…`: the mode is part of a session's id, as in Stripe. */
export const checkoutSessionIdSchema = z
  .string()
  .regex(/^cs_(test|live)_[0-9a-z]{10,40}$/, 'must be an id starting with cs_test_ or cs_live_')
  .openapi({ example: 'cs_test_01kb3v4y7m9q2x8c5d6e7f8g9h' });

/** The most line items one session takes (Stripe's limit in payment mode). */
export const maxCheckoutLineItems = 100;

const lineItemInputSchema = z
  .strictObject({
    price_data: z.strictObject({
      currency: currencySchema,
      unit_amount: z
        .number({ error: 'must be an integer number of minor units' })
        .int('must be a whole number of minor units')
        .nonnegative('must be 0 or more'),
      product_data: z.strictObject({
        name: z.string().trim().min(1, 'must not be empty').max(250),
        description: z.string().trim().max(500).optional(),
      }),
    }),
    quantity: z.number().int('must be a whole number').min(1).max(999_999),
    /** Refused by name: Expe models no Prices, so an item describes itself with price_data. */
    price: z
      .unknown()
      .refine(
        (value) => value === undefined,
        'Prices are not modelled by Expe: describe the item with price_data {currency, unit_amount, product_data {name}}',
      )
      .optional()
      .openapi({ type: 'string', description: 'Not supported: use price_data' }),
  })
  .openapi('CheckoutLineItemInput');

export const checkoutSessionStatuses = ['open', 'complete', 'expired'] as const;
export const checkoutSessionStatusSchema = z.enum(checkoutSessionStatuses);
export type CheckoutSessionStatus = z.infer<typeof checkoutSessionStatusSchema>;

export const createCheckoutSessionInputSchema = z
  .strictObject({
    mode: z.literal('payment').optional().openapi({ description: 'Only payment is supported' }),
    line_items: z
      .array(lineItemInputSchema)
      .min(1, 'must name at least one item')
      .max(maxCheckoutLineItems),
    client_reference_id: z.string().max(200).optional(),
    customer: idSchema('cus').optional(),
    customer_email: emailSchema.optional(),
    /** `{CHECKOUT_SESSION_ID}` in it is replaced by the session's id. */
    success_url: httpUrlSchema.optional(),
    cancel_url: httpUrlSchema.optional(),
    metadata: metadataSchema.optional(),
    /** Unix seconds, 30 minutes to 24 hours from now (by the project's clock); default 24 hours. */
    expires_at: timestampSchema.optional(),
  })
  .superRefine((input, ctx) => {
    const currency = input.line_items[0]?.price_data.currency;
    input.line_items.forEach((item, index) => {
      if (item.price_data.currency !== currency) {
        ctx.addIssue({
          code: 'custom',
          path: ['line_items', index, 'price_data', 'currency'],
          message: 'must be the currency of the first line item: a session is paid in one currency',
        });
      }
    });
    if (input.customer && input.customer_email) {
      ctx.addIssue({
        code: 'custom',
        path: ['customer_email'],
        message: 'send customer or customer_email, not both (the customer has an email)',
      });
    }
  })
  .openapi('CreateCheckoutSessionInput');
export type CreateCheckoutSessionInput = z.infer<typeof createCheckoutSessionInputSchema>;
export type CreateCheckoutSessionParams = z.input<typeof createCheckoutSessionInputSchema>;

export const checkoutLineItemSchema = z
  .object({
    id: idSchema('li'),
    object: z.literal('item'),
    description: z.string(),
    currency: z.string(),
    quantity: z.number().int(),
    price_data: z.object({
      currency: z.string(),
      unit_amount: z.number().int(),
      product_data: z.object({ name: z.string(), description: z.string().nullable() }),
    }),
    amount_subtotal: z.number().int(),
    amount_total: z.number().int(),
  })
  .openapi('CheckoutLineItem');
export type CheckoutLineItemResource = z.infer<typeof checkoutLineItemSchema>;

export const checkoutSessionSchema = z
  .object({
    id: checkoutSessionIdSchema,
    object: z.literal('checkout.session'),
    mode: z.literal('payment'),
    status: checkoutSessionStatusSchema,
    payment_status: z.enum(['unpaid', 'paid']),
    amount_subtotal: z.number().int(),
    amount_total: z.number().int(),
    currency: z.string(),
    client_reference_id: z.string().nullable(),
    customer: z.string().nullable(),
    customer_email: z.string().nullable(),
    success_url: z
      .string()
      .nullable()
      .openapi({ description: 'With {CHECKOUT_SESSION_ID} replaced by the session id' }),
    cancel_url: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    payment_intent: idSchema('pay').openapi({ description: 'The payment the session opened' }),
    url: z
      .string()
      .nullable()
      .openapi({ description: 'The hosted checkout page while the session is open, else null' }),
    expires_at: timestampSchema,
    completed_at: timestampSchema.nullable(),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('CheckoutSession');
export type CheckoutSessionResource = z.infer<typeof checkoutSessionSchema>;

export const listCheckoutSessionsQuerySchema = listQuerySchema
  .extend({
    starting_after: checkoutSessionIdSchema.optional(),
    ending_before: checkoutSessionIdSchema.optional(),
    payment_intent: idSchema('pay').optional(),
    customer: idSchema('cus').optional(),
    status: checkoutSessionStatusSchema.optional(),
  })
  .refine(...oneCursorDirection);
export type ListCheckoutSessionsQuery = z.infer<typeof listCheckoutSessionsQuerySchema>;

export const listCheckoutLineItemsQuerySchema = listQuerySchema
  .extend({
    starting_after: idSchema('li').optional(),
    ending_before: idSchema('li').optional(),
    /** The hosted checkout page's read (no API key): the client secret of the session's payment. */
    client_secret: z.string().max(200).optional(),
  })
  .refine(...oneCursorDirection);
export type ListCheckoutLineItemsQuery = z.infer<typeof listCheckoutLineItemsQuerySchema>;

export function registerCheckoutRoutes(registry: Registry): void {
  const key = [...security.secretKey];
  const tags = ['Checkout Sessions'];
  const idempotencyHeader = z.object({ 'idempotency-key': z.string().max(255).optional() });
  const params = z.object({ id: checkoutSessionIdSchema });
  const route = (config: Parameters<typeof withErrors>[0]) =>
    registry.registerPath(withErrors(config));
  route({
    method: 'post',
    path: '/v1/checkout/sessions',
    tags,
    summary: 'Create a Checkout Session: line items paid on the hosted checkout page',
    security: key,
    request: { body: jsonBody(createCheckoutSessionInputSchema), headers: idempotencyHeader },
    responses: { 201: jsonResponse(checkoutSessionSchema, 'The session, open') },
  });
  route({
    method: 'get',
    path: '/v1/checkout/sessions',
    tags,
    summary: 'List Checkout Sessions, newest first (by payment_intent, customer or status)',
    security: key,
    request: { query: listCheckoutSessionsQuerySchema },
    responses: { 200: jsonResponse(listOf(checkoutSessionSchema), 'A page of sessions') },
  });
  route({
    method: 'get',
    path: '/v1/checkout/sessions/{id}',
    tags,
    summary: 'Retrieve a Checkout Session',
    security: key,
    request: { params },
    responses: { 200: jsonResponse(checkoutSessionSchema, 'The session') },
  });
  route({
    method: 'get',
    path: '/v1/checkout/sessions/{id}/line_items',
    tags,
    summary:
      "A Checkout Session's line items, in the order they were given (the hosted checkout page reads them with its payment's client_secret, without a key)",
    security: [...key, ...security.none],
    request: { params, query: listCheckoutLineItemsQuerySchema },
    responses: { 200: jsonResponse(listOf(checkoutLineItemSchema), 'A page of line items') },
  });
  route({
    method: 'post',
    path: '/v1/checkout/sessions/{id}/expire',
    tags,
    summary:
      'Expire an open Checkout Session: its payment is canceled and it can no longer be paid',
    security: key,
    request: { params, headers: idempotencyHeader },
    responses: {
      200: jsonResponse(checkoutSessionSchema, 'The expired session'),
      409: jsonResponse(z.any(), 'The session is complete or already expired'),
    },
  });
}
