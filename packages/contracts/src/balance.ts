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
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { amountSchema, currencySchema } from './money.js';
import { vpaSchema } from './payments.js';
import {
  disputeEvidenceTextFieldNames,
  disputeEvidenceTextFields,
  type DisputeEvidenceTextField,
} from './stripe-vocabulary.js';
import { z } from './zod.js';

// Where the merchant's money goes: balance transactions, payouts, disputes, fees.

export const balanceTransactionTypes = [
  'payment',
  'refund',
  'dispute',
  'payout',
  'payout_failure',
  'payout_cancel',
  'adjustment',
] as const;
export const balanceTransactionTypeSchema = z.enum(balanceTransactionTypes);
export const balanceTransactionStatuses = ['pending', 'available'] as const;

export const balanceTransactionSchema = z
  .object({
    id: idSchema('bt'),
    object: z.literal('balance_transaction'),
    amount: z.number().int().openapi({ description: 'The effect on the balance before fees' }),
    fee: z.number().int().openapi({ description: 'Expe’s fee (negative when a fee is returned)' }),
    net: z.number().int().openapi({ description: 'amount − fee: what the balance changed by' }),
    currency: z.string(),
    type: balanceTransactionTypeSchema,
    source: z
      .string()
      .openapi({ description: 'The object that moved the money: pay_, re_, dp_, po_' }),
    charge: z.string().nullable().openapi({
      description: 'The charge whose money a payment row is (type payment), else null',
    }),
    status: z.enum(balanceTransactionStatuses),
    available_on: timestampSchema,
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('BalanceTransaction');
export type BalanceTransactionResource = z.infer<typeof balanceTransactionSchema>;

export const listBalanceTransactionsQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('bt'),
    type: balanceTransactionTypeSchema.optional(),
    source: z
      .string()
      .regex(
        /^(pay|ch|re|dp|po)_[0-9a-z]{10,40}$/,
        'must be the id of a payment, charge, refund, dispute or payout',
      )
      .optional(),
  })
  .refine(...oneCursorDirection);

export const payoutStatuses = ['pending', 'paid', 'failed', 'canceled'] as const;
export const payoutStatusSchema = z.enum(payoutStatuses).openapi({
  description:
    'pending until arrival_date (by the project clock), then paid; failed when the bank refuses it; canceled while pending',
});

export const createPayoutInputSchema = z
  .strictObject({
    amount: amountSchema,
    currency: currencySchema,
    destination: z.strictObject({ vpa: vpaSchema }),
    metadata: metadataSchema.optional(),
  })
  .openapi('CreatePayoutInput');
export type CreatePayoutInput = z.infer<typeof createPayoutInputSchema>;

export const payoutSchema = z
  .object({
    id: idSchema('po'),
    object: z.literal('payout'),
    amount: z.number().int(),
    currency: z.string(),
    status: payoutStatusSchema,
    destination: z.object({ type: z.literal('vpa'), vpa: z.string() }),
    failure_code: z.string().nullable(),
    failure_message: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    arrival_date: timestampSchema.openapi({
      description: 'When the money reaches the destination: a pending payout becomes paid then',
    }),
    original_payout: idSchema('po').nullable().openapi({
      description: 'On a reversal: the paid payout whose money it brings back',
    }),
    reversed_by: idSchema('po').nullable().openapi({
      description: 'On a reversed payout: the reversal',
    }),
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('Payout');
export type PayoutResource = z.infer<typeof payoutSchema>;

export const updatePayoutInputSchema = z
  .strictObject({ metadata: metadataUpdateSchema.optional() })
  .openapi('UpdatePayoutInput');
export type UpdatePayoutInput = z.infer<typeof updatePayoutInputSchema>;

export const reversePayoutInputSchema = z
  .strictObject({ metadata: metadataSchema.optional() })
  .openapi('ReversePayoutInput');
export type ReversePayoutInput = z.infer<typeof reversePayoutInputSchema>;

export const listPayoutsQuerySchema = listQuerySchema
  .extend({ ...listCursorsOf('po'), status: payoutStatusSchema.optional() })
  .refine(...oneCursorDirection);

export const disputeStatuses = ['needs_response', 'won', 'lost'] as const;
export const disputeStatusSchema = z.enum(disputeStatuses);

const disputeEvidenceSchema = z.object(
  Object.fromEntries(
    disputeEvidenceTextFieldNames.map((field) => [field, z.string().nullable()]),
  ) as Record<DisputeEvidenceTextField, z.ZodNullable<z.ZodString>>,
);

const uncategorizedTextDescription =
  'Sandbox: "winning_evidence" wins the dispute, "losing_evidence" loses it; other text is kept';

const disputeEvidenceInputSchema = z
  .strictObject(
    Object.fromEntries(
      disputeEvidenceTextFieldNames.map((field) => {
        const text = z.string().trim().min(1).max(disputeEvidenceTextFields[field]);
        const documented =
          field === 'uncategorized_text'
            ? text.openapi({ description: uncategorizedTextDescription })
            : text;
        return [field, documented.optional()];
      }),
    ) as Record<DisputeEvidenceTextField, z.ZodOptional<z.ZodString>>,
  )
  .refine((evidence) => Object.values(evidence).some((value) => value !== undefined), {
    message: `name at least one of ${disputeEvidenceTextFieldNames.join(', ')}`,
  })
  .openapi({
    description:
      'Text evidence, merged into what was given before (a field given again replaces its text). File evidence (receipt, refund_policy…) is not taken.',
  });

export const disputeSchema = z
  .object({
    id: idSchema('dp'),
    object: z.literal('dispute'),
    payment: idSchema('pay'),
    /** The charge disputed (the payment's succeeded one). */
    charge: z.string().nullable(),
    amount: z.number().int(),
    currency: z.string(),
    status: disputeStatusSchema,
    reason: z.string(),
    evidence: disputeEvidenceSchema,
    evidence_due_by: timestampSchema,
    livemode: z.boolean(),
    created: timestampSchema,
  })
  .openapi('Dispute');
export type DisputeResource = z.infer<typeof disputeSchema>;

export const listDisputesQuerySchema = listQuerySchema
  .extend({
    ...listCursorsOf('dp'),
    status: disputeStatusSchema.optional(),
    payment: idSchema('pay').optional(),
  })
  .refine(...oneCursorDirection);

export const updateDisputeInputSchema = z
  .strictObject({
    evidence: disputeEvidenceInputSchema,
  })
  .openapi('UpdateDisputeInput');
export type UpdateDisputeInput = z.infer<typeof updateDisputeInputSchema>;

export const balanceSettingsSchema = z
  .object({
    object: z.literal('balance_settings'),
    fees_enabled: z.boolean(),
  })
  .openapi('BalanceSettings');

export const updateBalanceSettingsInputSchema = z
  .strictObject({ fees_enabled: z.boolean() })
  .openapi('UpdateBalanceSettingsInput');

const idempotencyHeader = z.object({ 'idempotency-key': z.string().max(255).optional() });

export function registerBalanceRoutes(registry: Registry): void {
  const key = [...security.secretKey];
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/balance_transactions',
      tags: ['Balance'],
      summary: 'List balance transactions, newest first (filters type and source)',
      security: key,
      request: { query: listBalanceTransactionsQuerySchema },
      responses: { 200: jsonResponse(listOf(balanceTransactionSchema), 'A page') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/balance_transactions/{id}',
      tags: ['Balance'],
      summary: 'Retrieve a balance transaction',
      security: key,
      request: { params: z.object({ id: idSchema('bt') }) },
      responses: { 200: jsonResponse(balanceTransactionSchema, 'The balance transaction') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/balance_settings',
      tags: ['Balance'],
      summary: 'Whether the sandbox charges its fees (2% + ₹3) on your payments',
      security: key,
      responses: { 200: jsonResponse(balanceSettingsSchema, 'The settings') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/balance_settings',
      tags: ['Balance'],
      summary: 'Turn the sandbox fees on or off for later payments',
      security: key,
      request: { body: jsonBody(updateBalanceSettingsInputSchema), headers: idempotencyHeader },
      responses: { 200: jsonResponse(balanceSettingsSchema, 'The settings') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payouts',
      tags: ['Payouts'],
      summary: 'Pay out part of the available balance to a VPA',
      description:
        'Sandbox VPAs: success@expe → paid at once, failure@expe → failed (the money returns), pending@expe → pending until its arrival_date one day later by the project clock, then paid.',
      security: key,
      request: { body: jsonBody(createPayoutInputSchema), headers: idempotencyHeader },
      responses: {
        201: jsonResponse(payoutSchema, 'The payout: paid, failed or pending'),
        402: jsonResponse(z.any(), 'payout_exceeds_available: more than the available balance'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/payouts',
      tags: ['Payouts'],
      summary: 'List payouts, newest first',
      security: key,
      request: { query: listPayoutsQuerySchema },
      responses: { 200: jsonResponse(listOf(payoutSchema), 'A page of payouts') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/payouts/{id}',
      tags: ['Payouts'],
      summary: 'Retrieve a payout',
      security: key,
      request: { params: z.object({ id: idSchema('po') }) },
      responses: { 200: jsonResponse(payoutSchema, 'The payout') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payouts/{id}',
      tags: ['Payouts'],
      summary: "Update a payout's metadata (merged by Stripe's rules)",
      security: key,
      request: {
        params: z.object({ id: idSchema('po') }),
        body: jsonBody(updatePayoutInputSchema),
        headers: idempotencyHeader,
      },
      responses: { 200: jsonResponse(payoutSchema, 'The payout') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payouts/{id}/cancel',
      tags: ['Payouts'],
      summary: 'Cancel a pending payout: its money returns to the available balance',
      description:
        'Only while pending (payout_unexpected_state otherwise). The payout becomes canceled, a payout_cancel balance transaction gives the amount back and payout.canceled is sent.',
      security: key,
      request: { params: z.object({ id: idSchema('po') }), headers: idempotencyHeader },
      responses: { 200: jsonResponse(payoutSchema, 'The canceled payout') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/payouts/{id}/reverse',
      tags: ['Payouts'],
      summary: 'Reverse a paid test-mode payout: a second payout brings its money back',
      description:
        'Only a paid payout that is not a reversal and was not reversed yet (payout_unexpected_state otherwise). The reversal is a new payout (original_payout) to the same destination, credited to the available balance at once (a payout balance transaction of +amount) and arriving as a payout does; the original gets reversed_by. Events: payout.created for the reversal, payout.updated for the original.',
      security: key,
      request: {
        params: z.object({ id: idSchema('po') }),
        body: jsonBody(reversePayoutInputSchema),
        headers: idempotencyHeader,
      },
      responses: { 200: jsonResponse(payoutSchema, 'The reversal (a new payout)') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/disputes',
      tags: ['Disputes'],
      summary: 'List disputes, newest first',
      security: key,
      request: { query: listDisputesQuerySchema },
      responses: { 200: jsonResponse(listOf(disputeSchema), 'A page of disputes') },
    }),
  );
  const disputeParams = z.object({ id: idSchema('dp') });
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/disputes/{id}',
      tags: ['Disputes'],
      summary: 'Retrieve a dispute',
      security: key,
      request: { params: disputeParams },
      responses: { 200: jsonResponse(disputeSchema, 'The dispute') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/disputes/{id}',
      tags: ['Disputes'],
      summary: 'Submit evidence (sandbox: winning_evidence / losing_evidence decide it)',
      security: key,
      request: {
        params: disputeParams,
        body: jsonBody(updateDisputeInputSchema),
        headers: idempotencyHeader,
      },
      responses: {
        200: jsonResponse(disputeSchema, 'The dispute'),
        409: jsonResponse(z.any(), 'dispute_closed: the dispute is already won or lost'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/disputes/{id}/close',
      tags: ['Disputes'],
      summary: 'Accept the dispute: it is lost',
      security: key,
      request: { params: disputeParams, headers: idempotencyHeader },
      responses: {
        200: jsonResponse(disputeSchema, 'The lost dispute'),
        409: jsonResponse(z.any(), 'dispute_closed: the dispute is already won or lost'),
      },
    }),
  );
}
