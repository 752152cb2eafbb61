import {
  emailSchema,
  idSchema,
  isHttpUrl,
  listOf,
  listCursorsOf,
  listQuerySchema,
  metadataSchema,
  metadataUpdateSchema,
  oneCursorDirection,
  modeSchema,
  timestampSchema,
} from './common.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { paymentInstrumentFields, paymentInstrumentResourceFields } from './customers.js';
import { amountSchema, currencySchema } from './money.js';
import { z } from './zod.js';

export const paymentStatuses = [
  'requires_payment_method',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
  'expired',
] as const;
export const paymentStatusSchema = z.enum(paymentStatuses);
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;

export const paymentMethods = ['wallet', 'card', 'upi'] as const;
export const paymentMethodSchema = z.enum(paymentMethods);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const captureMethods = ['automatic', 'manual'] as const;
export const captureMethodSchema = z.enum(captureMethods);
export type CaptureMethod = z.infer<typeof captureMethodSchema>;

/** Only http(s) URLs: a `javascript:` or `data:` return_url would be an XSS or open redirect. */
export const httpUrlSchema = z
  .string()
  .max(2048)
  .refine(isHttpUrl, 'must be an absolute http:// or https:// URL')
  .openapi({ format: 'uri', example: 'https://shop.example/thanks' });

export const createPaymentInputSchema = z
  .strictObject({
    amount: amountSchema,
    currency: currencySchema,
    description: z.string().max(500).optional(),
    metadata: metadataSchema.optional(),
    customer_email: emailSchema.optional(),
    return_url: httpUrlSchema.optional(),
    capture_method: captureMethodSchema.optional().openapi({
      description:
        'manual: confirming only authorizes (status requires_capture, the money held); capture it with POST /v1/payments/{id}/capture within 7 days',
    }),
    ...paymentInstrumentFields,
  })
  .openapi('CreatePaymentInput');
export type CreatePaymentInput = z.infer<typeof createPaymentInputSchema>;

/**
 * What may change on a payment in any status, as Stripe lets a PaymentIntent's description,
 * metadata and receipt email change after it succeeded: none of them moves money. `null` (or
 * "") clears description or customer_email; metadata merges (metadataUpdateSchema).
 */
export const updatePaymentInputSchema = z
  .strictObject({
    description: z.string().max(500).nullable().optional(),
    customer_email: emailSchema.or(z.literal('')).nullable().optional(),
    metadata: metadataUpdateSchema.optional(),
  })
  .openapi('UpdatePaymentInput');
export type UpdatePaymentInput = z.infer<typeof updatePaymentInputSchema>;

export const cardInputSchema = z.strictObject({
  number: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, ''))
    .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12–19 digits')),
  exp_month: z.number().int().min(1).max(12),
  exp_year: z.number().int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
});

export const vpaSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{2,64}@[a-z][a-z0-9.-]{1,63}$/, 'must be a UPI address such as name@bank')
  .openapi({ example: 'success@expe' });

export const confirmPaymentInputSchema = z
  .strictObject({
    client_secret: z.string().min(10).max(200),
    method: paymentMethodSchema,
    card: cardInputSchema.optional(),
    payment_method: z
      .string()
      .regex(/^pm_[0-9a-z]{10,40}$/, 'must be an id starting with pm_')
      .optional()
      .openapi({
        description:
          'With method card and a secret key: the PaymentMethod (pm_…) to pay with instead of card',
      }),
    upi: z.strictObject({ vpa: vpaSchema }).optional(),
    off_session: z.boolean().optional().openapi({
      description:
        'With method card and a secret key: the customer is not present, so a card that needs 3-D Secure fails with authentication_required instead of answering requires_action',
    }),
  })
  .superRefine((input, ctx) => {
    if (input.off_session && input.method !== 'card') {
      ctx.addIssue({
        code: 'custom',
        path: ['off_session'],
        message: 'is only accepted with method card',
      });
    }
    if (input.payment_method !== undefined && (input.method !== 'card' || input.card)) {
      ctx.addIssue({
        code: 'custom',
        path: ['payment_method'],
        message: 'is only accepted with method card, instead of card',
      });
    }
    if (input.method === 'card' && !input.card && input.payment_method === undefined) {
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'object',
        path: ['card'],
        input: undefined,
        message: 'is required for method card (or payment_method)',
      });
    }
    if (input.method === 'upi' && !input.upi) {
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'object',
        path: ['upi'],
        input: undefined,
        message: 'is required for method upi',
      });
    }
  })
  .openapi('ConfirmPaymentInput');
export type ConfirmPaymentInput = z.infer<typeof confirmPaymentInputSchema>;

export const paymentErrorSchema = z.object({
  type: z.enum(['card_error', 'upi_error', 'invalid_request_error', 'api_error']),
  code: z.string(),
  message: z.string(),
  decline_code: z.string().optional(),
});
export type PaymentErrorResource = z.infer<typeof paymentErrorSchema>;

export const nextActionSchema = z
  .object({
    type: z.literal('redirect_to_url'),
    redirect_to_url: z.object({ url: z.string() }),
  })
  .openapi('PaymentNextAction');

export const authenticatePaymentInputSchema = z
  .strictObject({
    client_secret: z.string().min(10).max(200),
    outcome: z.enum(['complete', 'fail']),
  })
  .openapi('AuthenticatePaymentInput');
export type AuthenticatePaymentInput = z.infer<typeof authenticatePaymentInputSchema>;

export const capturePaymentInputSchema = z
  .strictObject({
    amount_to_capture: amountSchema.optional().openapi({
      description: 'At most amount_capturable; the rest is released. Default: all of it.',
    }),
  })
  .openapi('CapturePaymentInput');
export type CapturePaymentInput = z.infer<typeof capturePaymentInputSchema>;

export const paymentSchema = z
  .object({
    id: idSchema('pay'),
    object: z.literal('payment'),
    amount: z.number().int(),
    amount_refunded: z.number().int(),
    currency: z.string(),
    status: paymentStatusSchema,
    method: paymentMethodSchema.nullable(),
    livemode: z.boolean(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    customer_email: z.string().nullable(),
    client_secret: z.string(),
    checkout_url: z.string(),
    upi_uri: z.string().nullable(),
    return_url: z.string().nullable(),
    last_payment_error: paymentErrorSchema.nullable(),
    capture_method: captureMethodSchema,
    /** Held and still capturable (status requires_capture), else 0. */
    amount_capturable: z.number().int(),
    /** What reached the merchant: the amount, or the captured part of a manual payment. */
    amount_received: z.number().int(),
    /** What the payer must do next (status requires_action: a 3-D Secure challenge). */
    next_action: nextActionSchema.nullable(),
    /** The charge of the latest attempt to pay (GET /v1/charges/{id}); null before any. */
    latest_charge: idSchema('ch').nullable(),
    ...paymentInstrumentResourceFields,
    merchant: z.object({ id: idSchema('mer'), name: z.string() }).optional(),
    expires_at: timestampSchema,
    created: timestampSchema,
  })
  .openapi('Payment');
export type PaymentResource = z.infer<typeof paymentSchema>;

/** Unix seconds up to the end of year 9999 (a later one is no date). */
const unixSecondsQuerySchema = z.coerce.number().int().nonnegative().max(253_402_300_799);

/** `created[gte]=…&created[lte]=…` in Unix seconds. */
export const createdRangeSchema = z.strictObject({
  gte: unixSecondsQuerySchema.optional(),
  lte: unixSecondsQuerySchema.optional(),
  gt: unixSecondsQuerySchema.optional(),
  lt: unixSecondsQuerySchema.optional(),
});

export const listPaymentsQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('pay'),
    status: paymentStatusSchema.optional(),
    customer: idSchema('cus').optional().openapi({ description: "Only this customer's payments" }),
    created: createdRangeSchema.optional(),
  })
  .refine(...oneCursorDirection);
export type ListPaymentsQuery = z.infer<typeof listPaymentsQuerySchema>;

export const refundReasons = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;
export const refundReasonSchema = z.enum(refundReasons);
/** A refund succeeds at once in the sandbox: the one status it has. */
export const refundStatuses = ['succeeded'] as const;

export const createRefundInputSchema = z
  .strictObject({
    payment: idSchema('pay'),
    amount: amountSchema.optional(),
    reason: refundReasonSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .openapi('CreateRefundInput');
export type CreateRefundInput = z.infer<typeof createRefundInputSchema>;

/** A refund's metadata is all that changes after it is made, as in Stripe. */
export const updateRefundInputSchema = z
  .strictObject({ metadata: metadataUpdateSchema.optional() })
  .openapi('UpdateRefundInput');
export type UpdateRefundInput = z.infer<typeof updateRefundInputSchema>;

export const refundSchema = z
  .object({
    id: idSchema('re'),
    object: z.literal('refund'),
    payment: idSchema('pay'),
    /** The charge refunded (the payment's succeeded one). */
    charge: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    status: z.enum(refundStatuses),
    reason: refundReasonSchema.nullable(),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('Refund');
export type RefundResource = z.infer<typeof refundSchema>;

export const listRefundsQuerySchema = listQuerySchema
  .extend({ ...listCursorsOf('re'), payment: idSchema('pay').optional() })
  .refine(...oneCursorDirection);

const eventTypeFilterSchema = z
  .string()
  .max(100)
  .regex(
    /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/,
    'must be an event type such as payment.succeeded or payment.*',
  );

/**
 * Newest first; `type` is one type or a prefix (`payment.*`); `types[]` up to 20 of them (as
 * Stripe's `types`), either one or the other. Each page's query carries the same filter.
 */
export const listEventsQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('evt'),
    type: eventTypeFilterSchema.optional(),
    types: z
      .preprocess(
        (value) => (typeof value === 'string' ? [value] : value),
        z.array(eventTypeFilterSchema).min(1).max(20, 'must name at most 20 event types'),
      )
      .optional()
      .openapi({ description: 'Only events of these types: types[]=a&types[]=b' }),
    created: createdRangeSchema.optional(),
  })
  .refine(...oneCursorDirection)
  .refine((query) => !(query.type && query.types), {
    path: ['types'],
    message: 'send type or types, not both',
  });

export const balanceSchema = z
  .object({
    object: z.literal('balance'),
    livemode: z.boolean(),
    /** What payouts and refunds can use now. */
    available: z.array(z.object({ amount: z.number().int(), currency: z.string() })),
    /** Payments not yet available (2 days after they succeed, on the project clock). */
    pending: z.array(z.object({ amount: z.number().int(), currency: z.string() })),
  })
  .openapi('Balance');

export const eventSchema = z
  .object({
    id: idSchema('evt'),
    object: z.literal('event'),
    type: z.string(),
    created: timestampSchema,
    livemode: z.boolean(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
  })
  .openapi('Event');
export type EventResource = z.infer<typeof eventSchema>;

export const timelineEntrySchema = z.object({
  object: z.literal('timeline_entry'),
  type: z.string(),
  status: paymentStatusSchema.nullable(),
  event: idSchema('evt'),
  created: timestampSchema,
});

export const merchantStatsSchema = z
  .object({
    object: z.literal('merchant_stats'),
    mode: modeSchema,
    payments: z.object({
      total: z.number().int(),
      succeeded: z.number().int(),
      failed_attempts: z.number().int(),
      canceled: z.number().int(),
      expired: z.number().int(),
      open: z.number().int(),
    }),
    volume: z.array(
      z.object({ currency: z.string(), amount: z.number().int(), refunded: z.number().int() }),
    ),
    success_rate: z.number().nullable(),
  })
  .openapi('MerchantStats');

const paymentIdParams = z.object({ id: idSchema('pay') });
const clientSecretQuery = z.object({
  client_secret: z
    .string()
    .optional()
    .openapi({ description: "The checkout page authenticates with the payment's client_secret" }),
});
const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .max(255)
    .optional()
    .openapi({ description: 'Makes the POST safe to retry: the first response is replayed' }),
});

export function registerPaymentRoutes(registry: Registry): void {
  const tags = ['Payments'];
  const key = [...security.secretKey];
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payments',
      tags,
      summary: 'Create a payment',
      description:
        'Returns the payment with its `client_secret`, the hosted `checkout_url` and, for INR, the `upi_uri` deep link.',
      security: key,
      request: { body: jsonBody(createPaymentInputSchema), headers: idempotencyHeader },
      responses: { 201: jsonResponse(paymentSchema, 'The payment') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/payments',
      tags,
      summary: 'List payments, newest first',
      security: key,
      request: { query: listPaymentsQuerySchema },
      responses: { 200: jsonResponse(listOf(paymentSchema), 'A page of payments') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/payments/{id}',
      tags,
      summary: 'Retrieve a payment (secret key, or the client_secret from the checkout page)',
      security: [...key, ...security.none],
      request: { params: paymentIdParams, query: clientSecretQuery },
      responses: { 200: jsonResponse(paymentSchema, 'The payment') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payments/{id}',
      tags,
      summary: 'Update a payment: description, customer_email and metadata, in any status',
      description:
        'Metadata merges into the existing keys: a key set to "" is removed, and `metadata: ""` (or null) removes every key.',
      security: key,
      request: {
        params: paymentIdParams,
        body: jsonBody(updatePaymentInputSchema),
        headers: idempotencyHeader,
      },
      responses: { 200: jsonResponse(paymentSchema, 'The updated payment') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payments/{id}/confirm',
      tags,
      summary: 'Pay: confirm with a wallet, a card or UPI (checkout side)',
      description:
        "Authorized by `client_secret`. For `wallet`, send the payer's access token in `Authorization`. Sandbox cards: 4242424242424242 succeeds, 4000000000000002 declines (card_declined), 4000000000009995 declines (insufficient_funds), 4000000000000119 fails (processing_error), 4000002500003155 asks for 3-D Secure (requires_action with next_action). UPI: success@expe, failure@expe, pending@expe (processing, then succeeds).",
      security: [...security.none, ...security.user],
      request: {
        params: paymentIdParams,
        body: jsonBody(confirmPaymentInputSchema),
        headers: idempotencyHeader,
      },
      responses: {
        200: jsonResponse(
          paymentSchema,
          'The payment: succeeded, processing, requires_action (3-D Secure) or requires_capture (manual capture)',
        ),
        402: jsonResponse(
          z.any(),
          'The attempt failed: card_error (a card) or upi_error (UPI) with the reason; the payment can be retried',
        ),
        409: jsonResponse(z.any(), 'The payment can no longer be paid'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payments/{id}/authenticate',
      tags,
      summary: 'Answer the 3-D Secure challenge of a payment in requires_action (checkout side)',
      description:
        'What the hosted challenge page (`next_action.redirect_to_url.url`) calls, authorized by `client_secret`. complete: the payment succeeds (or, with capture_method manual, waits in requires_capture); fail: back to requires_payment_method with last_payment_error.code authentication_failed.',
      security: [...security.none],
      request: {
        params: paymentIdParams,
        body: jsonBody(authenticatePaymentInputSchema),
        headers: idempotencyHeader,
      },
      responses: {
        200: jsonResponse(paymentSchema, 'The payment after the challenge'),
        409: jsonResponse(z.any(), 'The payment is not waiting for a challenge'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payments/{id}/capture',
      tags,
      summary: 'Capture an authorized payment (capture_method manual), fully or in part',
      description:
        'The captured amount moves from the hold to the merchant balance and the rest goes back to the payer. More than amount_capturable: 400 amount_to_capture_invalid.',
      security: key,
      request: {
        params: paymentIdParams,
        body: jsonBody(capturePaymentInputSchema),
        headers: idempotencyHeader,
      },
      responses: {
        200: jsonResponse(paymentSchema, 'The succeeded payment'),
        409: jsonResponse(z.any(), 'The payment is not waiting for a capture'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payments/{id}/cancel',
      tags,
      summary: 'Cancel an unpaid payment, or an authorized one (releasing the hold)',
      security: key,
      request: { params: paymentIdParams, headers: idempotencyHeader },
      responses: { 200: jsonResponse(paymentSchema, 'The canceled payment') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/payments/{id}/qr',
      tags,
      summary: "QR code of the payment's upi_uri (PNG, or SVG with format=svg)",
      security: key,
      request: {
        params: paymentIdParams,
        query: z.object({
          format: z.enum(['png', 'svg']).optional(),
          client_secret: z.string().optional(),
        }),
      },
      responses: {
        200: {
          description: 'The QR code',
          content: {
            'image/png': { schema: z.string().openapi({ format: 'binary' }) },
            'image/svg+xml': { schema: z.string() },
          },
        },
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/payments/{id}/timeline',
      tags,
      summary: 'Every status change and event of the payment, oldest first',
      security: [...key, ...security.none],
      request: { params: paymentIdParams, query: clientSecretQuery },
      responses: {
        200: jsonResponse(
          z.object({
            object: z.literal('list'),
            data: z.array(timelineEntrySchema),
            has_more: z.boolean(),
          }),
          'The timeline',
        ),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/refunds',
      tags: ['Refunds'],
      summary: 'Refund a succeeded payment, fully or in part',
      security: key,
      request: { body: jsonBody(createRefundInputSchema), headers: idempotencyHeader },
      responses: {
        201: jsonResponse(refundSchema, 'The refund'),
        402: jsonResponse(z.any(), 'The merchant balance does not cover the refund'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/refunds',
      tags: ['Refunds'],
      summary: 'List refunds, newest first',
      security: key,
      request: { query: listRefundsQuerySchema },
      responses: { 200: jsonResponse(listOf(refundSchema), 'A page of refunds') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/refunds/{id}',
      tags: ['Refunds'],
      summary: 'Retrieve a refund',
      security: key,
      request: { params: z.object({ id: idSchema('re') }) },
      responses: { 200: jsonResponse(refundSchema, 'The refund') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/refunds/{id}',
      tags: ['Refunds'],
      summary: "Update a refund's metadata (merged by Stripe's rules)",
      security: key,
      request: {
        params: z.object({ id: idSchema('re') }),
        body: jsonBody(updateRefundInputSchema),
        headers: idempotencyHeader,
      },
      responses: { 200: jsonResponse(refundSchema, 'The refund') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/balance',
      tags: ['Balance'],
      summary: "The merchant's balance per currency for the key's mode",
      security: key,
      responses: { 200: jsonResponse(balanceSchema, 'The balance') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/events',
      tags: ['Events'],
      summary: 'List events, newest first',
      security: key,
      request: {
        query: listEventsQuerySchema,
      },
      responses: { 200: jsonResponse(listOf(eventSchema), 'A page of events') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/events/{id}',
      tags: ['Events'],
      summary: 'Retrieve an event',
      security: key,
      request: { params: z.object({ id: idSchema('evt') }) },
      responses: { 200: jsonResponse(eventSchema, 'The event') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/merchants/me/stats',
      tags: ['Merchants'],
      summary:
        "Payment counts, volume and success rate: a project's (its secret key, or a merchant user naming it with Expe-Project) or the merchant's total over its projects (the merchant user alone), for one mode",
      security: [...security.user, ...key],
      request: { query: z.object({ mode: modeSchema.default('test') }) },
      responses: { 200: jsonResponse(merchantStatsSchema, 'The stats') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/admin/reconciliation',
      tags: ['Admin'],
      summary: 'Check every ledger invariant (admin role)',
      security: [...security.user],
      responses: { 200: jsonResponse(z.any(), 'The report: ok, and every mismatch found') },
    }),
  );
}
