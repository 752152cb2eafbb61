import {
  emailSchema,
  idSchema,
  listCursorsOf,
  listOf,
  listQuerySchema,
  metadataUpdateSchema,
  oneCursorDirection,
  timestampSchema,
} from './common.js';
import { amountSchema } from './money.js';
import { paymentMethodSchema } from './payments.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

/**
 * Charges (issue 20): one per attempt to pay a payment, failed ones included, as Stripe records
 * them. A payment's `latest_charge` is its latest attempt.
 */
export const chargeStatuses = ['pending', 'succeeded', 'failed'] as const;
export const chargeStatusSchema = z.enum(chargeStatuses);
export type ChargeStatus = z.infer<typeof chargeStatusSchema>;

export const chargePaymentMethodDetailsSchema = z
  .object({
    type: paymentMethodSchema,
    card: z
      .object({
        brand: z.string(),
        last4: z.string(),
        exp_month: z.number().int(),
        exp_year: z.number().int(),
        funding: z.string(),
        country: z.string().nullable(),
        checks: z.object({
          cvc_check: z.string().nullable(),
          address_line1_check: z.string().nullable(),
          address_postal_code_check: z.string().nullable(),
        }),
      })
      .optional(),
  })
  .openapi('ChargePaymentMethodDetails');

export const chargeOutcomeSchema = z
  .object({
    network_status: z.enum(['approved_by_network', 'declined_by_network', 'not_sent_to_network']),
    reason: z.string().nullable().openapi({ description: 'The decline code of a failed attempt' }),
    risk_level: z.string(),
    seller_message: z.string(),
    type: z.enum(['authorized', 'issuer_declined', 'invalid']),
  })
  .openapi('ChargeOutcome');
export type ChargeOutcomeResource = z.infer<typeof chargeOutcomeSchema>;

export const chargeSchema = z
  .object({
    id: idSchema('ch'),
    object: z.literal('charge'),
    amount: z.number().int(),
    /** What was captured: the amount, the captured part, or 0 while held or after a failure. */
    amount_captured: z.number().int(),
    /** Refunded, or released when an uncaptured authorization was canceled or expired. */
    amount_refunded: z.number().int(),
    currency: z.string(),
    status: chargeStatusSchema,
    /** The attempt succeeded (captured or held for a capture). */
    paid: z.boolean(),
    captured: z.boolean(),
    refunded: z.boolean(),
    payment: idSchema('pay'),
    customer: z.string().nullable(),
    payment_method: z.string().nullable(),
    payment_method_details: chargePaymentMethodDetailsSchema,
    failure_code: z.string().nullable(),
    failure_message: z.string().nullable(),
    outcome: chargeOutcomeSchema.nullable(),
    /** The balance transaction of the money the charge moved to the merchant, once captured. */
    balance_transaction: z.string().nullable(),
    billing_details: z.object({
      address: z.null(),
      email: z.string().nullable(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    /**
     * A succeeded charge's hosted receipt, `<checkout>/receipts/<id>#<token>`; else null. The token
     * (in the fragment, which browsers never send) is what opens it: anyone holding the URL can.
     */
    receipt_url: z.string().nullable(),
    receipt_email: z.string().nullable(),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('Charge');
export type ChargeResource = z.infer<typeof chargeSchema>;

export const listChargesQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('ch'),
    payment: idSchema('pay').optional().openapi({ description: "Only this payment's charges" }),
    customer: idSchema('cus').optional().openapi({ description: "Only this customer's charges" }),
  })
  .refine(...oneCursorDirection);
export type ListChargesQuery = z.infer<typeof listChargesQuerySchema>;

/**
 * What may change on a charge, as in Stripe: description, receipt_email and metadata (merged
 * by Stripe's rules). `null` (or "") clears description or receipt_email.
 */
export const updateChargeInputSchema = z
  .strictObject({
    description: z.string().max(500).nullable().optional(),
    receipt_email: emailSchema.or(z.literal('')).nullable().optional(),
    metadata: metadataUpdateSchema.optional(),
  })
  .openapi('UpdateChargeInput');
export type UpdateChargeInput = z.infer<typeof updateChargeInputSchema>;

export const captureChargeInputSchema = z
  .strictObject({
    amount: amountSchema.optional().openapi({
      description: "At most the payment's amount_capturable; the rest is released. Default: all.",
    }),
  })
  .openapi('CaptureChargeInput');
export type CaptureChargeInput = z.infer<typeof captureChargeInputSchema>;

export const receiptQuerySchema = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ description: "The fragment of the charge's receipt_url" }),
});

/** What a receipt shows, and nothing else: no customer, no metadata, no payment method id. */
export const receiptSchema = z
  .object({
    object: z.literal('receipt'),
    charge: idSchema('ch'),
    receipt_number: z.string(),
    merchant: z.object({ name: z.string() }),
    amount: z.number().int(),
    amount_captured: z.number().int(),
    amount_refunded: z.number().int(),
    currency: z.string(),
    status: chargeStatusSchema,
    refunded: z.boolean(),
    payment_method: z.object({
      type: paymentMethodSchema,
      card: z.object({ brand: z.string(), last4: z.string() }).nullable(),
    }),
    description: z.string().nullable(),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('Receipt');
export type Receipt = z.infer<typeof receiptSchema>;

const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .max(255)
    .optional()
    .openapi({ description: 'Makes the POST safe to retry: the first response is replayed' }),
});

export function registerChargeRoutes(registry: Registry): void {
  const tags = ['Charges'];
  const key = [...security.secretKey];
  const params = z.object({ id: idSchema('ch') });
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/charges',
      tags,
      summary: 'List charges (every attempt to pay, failed ones included), newest first',
      security: key,
      request: { query: listChargesQuerySchema },
      responses: { 200: jsonResponse(listOf(chargeSchema), 'A page of charges') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/charges/{id}',
      tags,
      summary: 'Retrieve a charge',
      security: key,
      request: { params },
      responses: { 200: jsonResponse(chargeSchema, 'The charge') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/charges/{id}',
      tags,
      summary: "Update a charge's description, receipt_email and metadata",
      description:
        'Metadata merges into the existing keys: a key set to "" is removed, and `metadata: ""` (or null) removes every key.',
      security: key,
      request: { params, body: jsonBody(updateChargeInputSchema), headers: idempotencyHeader },
      responses: { 200: jsonResponse(chargeSchema, 'The updated charge') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/charges/{id}/capture',
      tags,
      summary:
        'Capture an uncaptured charge (its payment has capture_method manual), or part of it',
      description:
        'Captures the payment the charge belongs to, as POST /v1/payments/{id}/capture does. More than the amount held: 400 amount_to_capture_invalid naming amount.',
      security: key,
      request: { params, body: jsonBody(captureChargeInputSchema), headers: idempotencyHeader },
      responses: {
        200: jsonResponse(chargeSchema, 'The captured charge'),
        409: jsonResponse(z.any(), 'The charge is not waiting for a capture'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/receipts/{id}',
      tags,
      summary:
        "Read a succeeded charge's receipt with the token of its receipt_url (no credential)",
      description:
        'A wrong token, a charge that has no receipt (not succeeded) and an unknown id are the same 404 resource_missing.',
      security: [...security.none],
      request: { params, query: receiptQuerySchema },
      responses: { 200: jsonResponse(receiptSchema, 'The receipt') },
    }),
  );
}
