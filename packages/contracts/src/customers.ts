import {
  deletedObjectSchema,
  emailSchema,
  idSchema,
  listCursorsOf,
  listOf,
  listQueryOf,
  listQuerySchema,
  metadataSchema,
  metadataUpdateSchema,
  oneCursorDirection,
  timestampSchema,
} from './common.js';
import { amountSchema, currencySchema } from './money.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

/**
 * Reusable payment instruments: customers and their saved cards, QR codes that UPI
 * apps pay many times, and payment links that open the hosted checkout.
 */

const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{4,20}$/, 'must be a phone number such as +91 98765 43210');

const shippingText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** Where the customer's orders go, as Stripe's `shipping`: a name and an address with line1. */
export const shippingInputSchema = z
  .strictObject({
    name: shippingText(200),
    phone: phoneSchema.optional(),
    address: z.strictObject({
      line1: shippingText(200),
      line2: shippingText(200).optional(),
      city: shippingText(200).optional(),
      state: shippingText(200).optional(),
      postal_code: shippingText(20).optional(),
      country: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as IN')
        .optional(),
    }),
  })
  .openapi('ShippingInput');
export type ShippingInput = z.infer<typeof shippingInputSchema>;

export const shippingSchema = z
  .object({
    name: z.string(),
    phone: z.string().nullable(),
    address: z.object({
      line1: z.string(),
      line2: z.string().nullable(),
      city: z.string().nullable(),
      state: z.string().nullable(),
      postal_code: z.string().nullable(),
      country: z.string().nullable(),
    }),
  })
  .openapi('Shipping');

const customerFields = {
  email: emailSchema.optional(),
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  description: z.string().max(500).optional(),
  phone: phoneSchema.optional(),
  shipping: shippingInputSchema.optional(),
  metadata: metadataSchema.optional(),
};

export const createCustomerInputSchema = z
  .strictObject(customerFields)
  .openapi('CreateCustomerInput');
export type CreateCustomerInput = z.infer<typeof createCustomerInputSchema>;

/**
 * An update sets the fields it names; `null` (or "") clears email, name, description, phone or shipping;
 * metadata merges by Stripe's rules (metadataUpdateSchema).
 */
export const updateCustomerInputSchema = z
  .strictObject({
    email: emailSchema.or(z.literal('')).nullable().optional(),
    name: z.string().trim().max(200).nullable().optional(),
    description: z.string().max(500).nullable().optional(),
    phone: phoneSchema.or(z.literal('')).nullable().optional(),
    /** Replaces the whole address; null or "" removes it. */
    shipping: shippingInputSchema.or(z.literal('')).nullable().optional(),
    metadata: metadataUpdateSchema.optional(),
  })
  .openapi('UpdateCustomerInput');
export type UpdateCustomerInput = z.infer<typeof updateCustomerInputSchema>;

export const customerSchema = z
  .object({
    id: idSchema('cus'),
    object: z.literal('customer'),
    email: z.string().nullable(),
    name: z.string().nullable(),
    description: z.string().nullable(),
    phone: z.string().nullable(),
    shipping: shippingSchema.nullable(),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('Customer');
export type CustomerResource = z.infer<typeof customerSchema>;

export const deletedCustomerSchema = deletedObjectSchema('cus', 'customer').openapi(
  'DeletedCustomer',
);

export const listCustomersQuerySchema = listQuerySchema
  .extend({ ...listCursorsOf('cus'), email: z.string().trim().max(254).optional() })
  .refine(...oneCursorDirection);

/** A customer's saved cards, paged by payment method id. */
export const listPaymentMethodsQuerySchema = listQueryOf('pm');

/** The project's PaymentMethods, or one customer's (`customer`), newest first. */
export const listAllPaymentMethodsQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('pm'),
    customer: idSchema('cus').optional(),
    type: z.enum(['card']).optional(),
  })
  .refine(...oneCursorDirection);

export const cardBrands = ['visa', 'mastercard', 'amex', 'rupay', 'unknown'] as const;
export const cardFundings = ['credit', 'debit', 'prepaid', 'unknown'] as const;

const billingText = (max: number) => z.string().trim().max(max).nullable().optional();

const billingAddressSchema = z.strictObject({
  city: billingText(200),
  country: billingText(2),
  line1: billingText(200),
  line2: billingText(200),
  postal_code: billingText(20),
  state: billingText(200),
});

/** Who pays with the card, as Stripe's `billing_details`; "" or null clears a field. */
export const billingDetailsInputSchema = z
  .strictObject({
    address: billingAddressSchema.nullable().optional(),
    email: emailSchema.or(z.literal('')).nullable().optional(),
    name: billingText(200),
    phone: billingText(40),
  })
  .openapi('BillingDetailsInput');
export type BillingDetailsInput = z.infer<typeof billingDetailsInputSchema>;

/**
 * A new PaymentMethod (test mode): from a sandbox test token (`card[token]`: `tok_visa`,
 * `pm_card_visa`, `tok_chargeDeclined`, …) or a sandbox card number (`card[number]` with the
 * expiry). The number is never stored: brand, last four, expiry, fingerprint and the sandbox
 * token are.
 */
export const createPaymentMethodInputSchema = z
  .strictObject({
    type: z.literal('card'),
    card: z
      .strictObject({
        token: z.string().trim().min(1).max(100).optional().openapi({ example: 'tok_visa' }),
        number: z
          .string()
          .transform((value) => value.replace(/[\s-]/g, ''))
          .pipe(z.string().regex(/^\d{12,19}$/, 'must be 12–19 digits'))
          .optional(),
        exp_month: z.number().int().min(1).max(12).optional(),
        exp_year: z.number().int().min(2000).max(2100).optional(),
        cvc: z
          .string()
          .regex(/^\d{3,4}$/, 'must be 3 or 4 digits')
          .optional(),
      })
      .superRefine((card, ctx) => {
        if (card.token !== undefined && card.number !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['token'],
            message: 'send card[token] or card[number], not both',
          });
        }
        if (card.token === undefined && card.number === undefined) {
          ctx.addIssue({
            code: 'invalid_type',
            expected: 'string',
            path: ['number'],
            input: undefined,
            message: 'is required (or card[token])',
          });
        }
        if (card.number !== undefined) {
          for (const field of ['exp_month', 'exp_year'] as const) {
            if (card[field] === undefined) {
              ctx.addIssue({
                code: 'invalid_type',
                expected: 'number',
                path: [field],
                input: undefined,
                message: 'is required with card[number]',
              });
            }
          }
        }
      }),
    billing_details: billingDetailsInputSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .openapi('CreatePaymentMethodInput');
export type CreatePaymentMethodInput = z.infer<typeof createPaymentMethodInputSchema>;

/** Billing details merge field by field; metadata by Stripe's rules; the card's expiry may move. */
export const updatePaymentMethodInputSchema = z
  .strictObject({
    billing_details: billingDetailsInputSchema.optional(),
    metadata: metadataUpdateSchema.optional(),
    card: z
      .strictObject({
        exp_month: z.number().int().min(1).max(12).optional(),
        exp_year: z.number().int().min(2000).max(2100).optional(),
      })
      .optional(),
  })
  .openapi('UpdatePaymentMethodInput');
export type UpdatePaymentMethodInput = z.infer<typeof updatePaymentMethodInputSchema>;

export const attachPaymentMethodInputSchema = z
  .strictObject({ customer: idSchema('cus') })
  .openapi('AttachPaymentMethodInput');
export type AttachPaymentMethodInput = z.infer<typeof attachPaymentMethodInputSchema>;

const billingAddressResourceSchema = z.object({
  city: z.string().nullable(),
  country: z.string().nullable(),
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  postal_code: z.string().nullable(),
  state: z.string().nullable(),
});

export const savedPaymentMethodSchema = z
  .object({
    id: idSchema('pm'),
    object: z.literal('payment_method'),
    type: z.literal('card'),
    billing_details: z.object({
      address: billingAddressResourceSchema.nullable(),
      email: z.string().nullable(),
      name: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    card: z.object({
      brand: z.enum(cardBrands),
      last4: z.string(),
      exp_month: z.number().int(),
      exp_year: z.number().int(),
      funding: z.enum(cardFundings),
      country: z.string().nullable(),
      fingerprint: z.string().openapi({
        description: 'The same card number has the same fingerprint within a project',
      }),
    }),
    customer: idSchema('cus').nullable().openapi({
      description: 'The customer it is attached to; null before attaching and once detached',
    }),
    metadata: z.record(z.string(), z.string()),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('PaymentMethod');
export type PaymentMethodResource = z.infer<typeof savedPaymentMethodSchema>;

/** Whether a payment saves its card for later, with the customer there or not (Stripe's values). */
export const setupFutureUsages = ['on_session', 'off_session'] as const;

/**
 * The fields a payment takes to use a customer's saved card, or to save the card it is paid with.
 * `confirm: true` charges `payment_method` at once; `off_session: true` says the customer is not
 * there to authenticate (a saved card charged later).
 */
export const paymentInstrumentFields = {
  customer: idSchema('cus').optional(),
  payment_method: idSchema('pm').optional(),
  setup_future_usage: z.enum(setupFutureUsages).optional(),
  off_session: z.boolean().optional(),
  confirm: z.boolean().optional(),
};

/** What a payment says about the instruments it used (absent on events recorded before them). */
export const paymentInstrumentResourceFields = {
  customer: idSchema('cus').nullable().optional(),
  payment_method: idSchema('pm').nullable().optional(),
  setup_future_usage: z.enum(setupFutureUsages).nullable().optional(),
  payment_method_details: z
    .object({
      type: z.literal('card'),
      card: z.object({
        brand: z.string(),
        last4: z.string(),
        exp_month: z.number().int(),
        exp_year: z.number().int(),
      }),
    })
    .nullable()
    .optional(),
  qr_code: idSchema('qr').nullable().optional(),
  payment_link: idSchema('plink').nullable().optional(),
};

export const qrCodeUsages = ['single_use', 'multiple_use'] as const;
export const qrCodeUsageSchema = z.enum(qrCodeUsages);
export const qrCodeStatuses = ['active', 'closed'] as const;
export const qrCodeCloseReasons = ['paid', 'closed_by_merchant', 'close_by_reached'] as const;

export const createQrCodeInputSchema = z
  .strictObject({
    usage: qrCodeUsageSchema,
    fixed_amount: z.boolean(),
    amount: amountSchema.optional(),
    description: z.string().trim().min(1, 'must not be empty').max(80),
    close_by: timestampSchema
      .optional()
      .openapi({ description: 'Unix seconds (project clock in test mode) when it closes' }),
    metadata: metadataSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.fixed_amount && input.amount === undefined) {
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'number',
        path: ['amount'],
        input: undefined,
        message: 'is required when fixed_amount is true',
      });
    }
    if (!input.fixed_amount && input.amount !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'must not be set when fixed_amount is false (the payer chooses the amount)',
      });
    }
  })
  .openapi('CreateQrCodeInput');
export type CreateQrCodeInput = z.infer<typeof createQrCodeInputSchema>;

export const qrCodeSchema = z
  .object({
    id: idSchema('qr'),
    object: z.literal('qr_code'),
    usage: qrCodeUsageSchema,
    fixed_amount: z.boolean(),
    amount: z.number().int().nullable(),
    currency: z.literal('inr'),
    description: z.string(),
    metadata: z.record(z.string(), z.string()),
    status: z.enum(qrCodeStatuses),
    close_by: timestampSchema.nullable(),
    close_reason: z.enum(qrCodeCloseReasons).nullable(),
    closed_at: timestampSchema.nullable(),
    image_url: z.string().openapi({ description: 'PNG of the QR code (secret key)' }),
    upi_uri: z.string(),
    payments_count: z.number().int(),
    payments_amount_received: z.number().int(),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('QrCode');
export type QrCodeResource = z.infer<typeof qrCodeSchema>;

export const listQrCodesQuerySchema = listQuerySchema
  .extend({ ...listCursorsOf('qr'), status: z.enum(qrCodeStatuses).optional() })
  .refine(...oneCursorDirection);

/** The payments made against a QR code, paged by payment id. */
export const listQrCodePaymentsQuerySchema = listQueryOf('pay');

export const payQrCodeInputSchema = z
  .strictObject({
    amount: amountSchema,
    vpa: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{2,64}@[a-z][a-z0-9.-]{1,63}$/, 'must be a UPI address such as name@bank')
      .openapi({ example: 'success@expe' }),
  })
  .openapi('PayQrCodeInput');
export type PayQrCodeInput = z.infer<typeof payQrCodeInputSchema>;

export const createPaymentLinkInputSchema = z
  .strictObject({
    amount: amountSchema,
    currency: currencySchema,
    description: z.string().trim().min(1, 'must not be empty').max(500),
    reusable: z.boolean().optional(),
    metadata: metadataSchema.optional(),
  })
  .openapi('CreatePaymentLinkInput');
export type CreatePaymentLinkInput = z.infer<typeof createPaymentLinkInputSchema>;

export const updatePaymentLinkInputSchema = z
  .strictObject({ active: z.boolean().optional(), metadata: metadataUpdateSchema.optional() })
  .openapi('UpdatePaymentLinkInput');
export type UpdatePaymentLinkInput = z.infer<typeof updatePaymentLinkInputSchema>;

export const paymentLinkSchema = z
  .object({
    id: idSchema('plink'),
    object: z.literal('payment_link'),
    url: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    description: z.string(),
    metadata: z.record(z.string(), z.string()),
    reusable: z.boolean(),
    active: z.boolean(),
    payments_count: z.number().int(),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('PaymentLink');
export type PaymentLinkResource = z.infer<typeof paymentLinkSchema>;

export const listPaymentLinksQuerySchema = listQueryOf('plink');

/** What the public checkout page of a link learns: enough to show and pay, nothing else. */
export const paymentLinkCheckoutSchema = z
  .object({
    object: z.literal('payment_link_checkout'),
    payment: idSchema('pay'),
    client_secret: z.string(),
  })
  .openapi('PaymentLinkCheckout');

export function registerInstrumentRoutes(registry: Registry): void {
  const key = [...security.secretKey];
  const idempotencyHeader = z.object({
    'idempotency-key': z.string().max(255).optional(),
  });
  const idParams = (prefix: string) => z.object({ id: idSchema(prefix) });
  const route = (config: Parameters<typeof withErrors>[0]) =>
    registry.registerPath(withErrors(config));

  const customers = ['Customers'];
  route({
    method: 'post',
    path: '/v1/customers',
    tags: customers,
    summary: 'Create a customer',
    security: key,
    request: { body: jsonBody(createCustomerInputSchema), headers: idempotencyHeader },
    responses: { 201: jsonResponse(customerSchema, 'The customer') },
  });
  route({
    method: 'get',
    path: '/v1/customers',
    tags: customers,
    summary: 'List customers, newest first (filter email)',
    security: key,
    request: { query: listCustomersQuerySchema },
    responses: { 200: jsonResponse(listOf(customerSchema), 'A page of customers') },
  });
  route({
    method: 'get',
    path: '/v1/customers/{id}',
    tags: customers,
    summary: 'Retrieve a customer',
    description:
      'A deleted customer answers 200 with `{id, object: "customer", deleted: true}`, as Stripe does; it is not listed and cannot be updated or named by a new payment (404 `resource_missing`).',
    security: key,
    request: { params: idParams('cus') },
    responses: {
      200: jsonResponse(
        z.union([customerSchema, deletedCustomerSchema]),
        'The customer, or the deleted customer',
      ),
    },
  });
  route({
    method: 'post',
    path: '/v1/customers/{id}',
    tags: customers,
    summary: 'Update a customer',
    security: key,
    request: {
      params: idParams('cus'),
      body: jsonBody(updateCustomerInputSchema),
      headers: idempotencyHeader,
    },
    responses: { 200: jsonResponse(customerSchema, 'The customer') },
  });
  route({
    method: 'delete',
    path: '/v1/customers/{id}',
    tags: customers,
    summary: 'Delete a customer; its saved cards are detached',
    security: key,
    request: { params: idParams('cus') },
    responses: { 200: jsonResponse(deletedCustomerSchema, 'The customer is deleted') },
  });
  route({
    method: 'get',
    path: '/v1/customers/{id}/payment_methods',
    tags: customers,
    summary: "The customer's saved cards, newest first",
    security: key,
    request: { params: idParams('cus'), query: listPaymentMethodsQuerySchema },
    responses: { 200: jsonResponse(listOf(savedPaymentMethodSchema), 'A page of payment methods') },
  });
  const paymentMethods = ['Payment methods'];
  route({
    method: 'post',
    path: '/v1/payment_methods',
    tags: paymentMethods,
    summary: 'Create a PaymentMethod from a sandbox test token or card number (test mode)',
    description:
      'Not attached to anyone (`customer: null`) until attached, or used by a SetupIntent or a payment with `setup_future_usage`. Live mode has no cards to create one from (400 naming `card`).',
    security: key,
    request: { body: jsonBody(createPaymentMethodInputSchema), headers: idempotencyHeader },
    responses: { 201: jsonResponse(savedPaymentMethodSchema, 'The payment method') },
  });
  route({
    method: 'get',
    path: '/v1/payment_methods',
    tags: paymentMethods,
    summary: "List the project's PaymentMethods, or one customer's, newest first",
    security: key,
    request: { query: listAllPaymentMethodsQuerySchema },
    responses: { 200: jsonResponse(listOf(savedPaymentMethodSchema), 'A page of payment methods') },
  });
  route({
    method: 'get',
    path: '/v1/payment_methods/{id}',
    tags: paymentMethods,
    summary: 'Retrieve a PaymentMethod',
    security: key,
    request: { params: idParams('pm') },
    responses: { 200: jsonResponse(savedPaymentMethodSchema, 'The payment method') },
  });
  route({
    method: 'post',
    path: '/v1/payment_methods/{id}',
    tags: paymentMethods,
    summary: "Update a PaymentMethod's billing details, metadata (merged) or card expiry",
    security: key,
    request: {
      params: idParams('pm'),
      body: jsonBody(updatePaymentMethodInputSchema),
      headers: idempotencyHeader,
    },
    responses: { 200: jsonResponse(savedPaymentMethodSchema, 'The payment method') },
  });
  route({
    method: 'post',
    path: '/v1/payment_methods/{id}/attach',
    tags: paymentMethods,
    summary: 'Attach a PaymentMethod to a customer, to charge it later (also off-session)',
    description:
      'A card the sandbox declines is not attached (402 with the decline). A PaymentMethod attached to another customer, or detached once, cannot be attached (409 `resource_conflict`), as in Stripe.',
    security: key,
    request: {
      params: idParams('pm'),
      body: jsonBody(attachPaymentMethodInputSchema),
      headers: idempotencyHeader,
    },
    responses: {
      200: jsonResponse(savedPaymentMethodSchema, 'The attached payment method'),
      402: jsonResponse(z.any(), 'The card was declined'),
    },
  });
  route({
    method: 'post',
    path: '/v1/payment_methods/{id}/detach',
    tags: paymentMethods,
    summary: 'Detach a PaymentMethod from its customer; it can no longer be used',
    security: key,
    request: { params: idParams('pm'), headers: idempotencyHeader },
    responses: { 200: jsonResponse(savedPaymentMethodSchema, 'The detached payment method') },
  });

  const qr = ['QR codes'];
  route({
    method: 'post',
    path: '/v1/qr_codes',
    tags: qr,
    summary: 'Create a UPI QR code (single or multiple use, fixed or open amount)',
    security: key,
    request: { body: jsonBody(createQrCodeInputSchema), headers: idempotencyHeader },
    responses: { 201: jsonResponse(qrCodeSchema, 'The QR code') },
  });
  route({
    method: 'get',
    path: '/v1/qr_codes',
    tags: qr,
    summary: 'List QR codes, newest first',
    security: key,
    request: { query: listQrCodesQuerySchema },
    responses: { 200: jsonResponse(listOf(qrCodeSchema), 'A page of QR codes') },
  });
  route({
    method: 'get',
    path: '/v1/qr_codes/{id}',
    tags: qr,
    summary: 'Retrieve a QR code',
    security: key,
    request: { params: idParams('qr') },
    responses: { 200: jsonResponse(qrCodeSchema, 'The QR code') },
  });
  route({
    method: 'get',
    path: '/v1/qr_codes/{id}/image',
    tags: qr,
    summary: 'The QR code as a PNG (or SVG with format=svg)',
    security: key,
    request: {
      params: idParams('qr'),
      query: z.object({ format: z.enum(['png', 'svg']).optional() }),
    },
    responses: {
      200: {
        description: 'The image',
        content: {
          'image/png': { schema: z.string().openapi({ format: 'binary' }) },
          'image/svg+xml': { schema: z.string() },
        },
      },
    },
  });
  route({
    method: 'get',
    path: '/v1/qr_codes/{id}/payments',
    tags: qr,
    summary: 'Payments made against the QR code, newest first',
    security: key,
    request: { params: idParams('qr'), query: listQrCodePaymentsQuerySchema },
    responses: { 200: jsonResponse(listOf(z.any()), 'A page of payments') },
  });
  route({
    method: 'post',
    path: '/v1/qr_codes/{id}/close',
    tags: qr,
    summary: 'Close a QR code: it accepts no more payments',
    security: key,
    request: { params: idParams('qr'), headers: idempotencyHeader },
    responses: { 200: jsonResponse(qrCodeSchema, 'The closed QR code') },
  });
  route({
    method: 'post',
    path: '/v1/test_helpers/qr_codes/{id}/pay',
    tags: ['Test helpers'],
    summary: 'Test mode: a UPI app pays the QR code (the VPA decides, as for UPI payments)',
    security: key,
    request: {
      params: idParams('qr'),
      body: jsonBody(payQrCodeInputSchema),
      headers: idempotencyHeader,
    },
    responses: {
      201: jsonResponse(z.any(), 'The payment made against the QR code'),
      402: jsonResponse(z.any(), 'The UPI transaction failed (failure@expe)'),
      409: jsonResponse(z.any(), 'The QR code is closed'),
    },
  });

  const links = ['Payment links'];
  route({
    method: 'post',
    path: '/v1/payment_links',
    tags: links,
    summary: 'Create a payment link to the hosted checkout',
    security: key,
    request: { body: jsonBody(createPaymentLinkInputSchema), headers: idempotencyHeader },
    responses: { 201: jsonResponse(paymentLinkSchema, 'The payment link') },
  });
  route({
    method: 'get',
    path: '/v1/payment_links',
    tags: links,
    summary: 'List payment links, newest first',
    security: key,
    request: { query: listPaymentLinksQuerySchema },
    responses: { 200: jsonResponse(listOf(paymentLinkSchema), 'A page of payment links') },
  });
  route({
    method: 'get',
    path: '/v1/payment_links/{id}',
    tags: links,
    summary: 'Retrieve a payment link',
    security: key,
    request: { params: idParams('plink') },
    responses: { 200: jsonResponse(paymentLinkSchema, 'The payment link') },
  });
  route({
    method: 'post',
    path: '/v1/payment_links/{id}',
    tags: links,
    summary: 'Update a payment link (active: false deactivates it)',
    security: key,
    request: {
      params: idParams('plink'),
      body: jsonBody(updatePaymentLinkInputSchema),
      headers: idempotencyHeader,
    },
    responses: { 200: jsonResponse(paymentLinkSchema, 'The payment link') },
  });
  route({
    method: 'post',
    path: '/v1/payment_links/{id}/checkout',
    tags: links,
    summary: "The link's public page: a payment to pay in the hosted checkout (no credentials)",
    security: [...security.none],
    request: { params: idParams('plink'), headers: idempotencyHeader },
    responses: {
      201: jsonResponse(paymentLinkCheckoutSchema, 'The payment and its client_secret'),
      409: jsonResponse(z.any(), 'The link is deactivated or already paid'),
    },
  });
}
