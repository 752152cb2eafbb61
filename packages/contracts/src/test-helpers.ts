import { idSchema, timestampSchema } from './common.js';
import { paymentSchema } from './payments.js';
import { jsonBody, jsonResponse, security, withErrors, type Registry } from './route-docs.js';
import { z } from './zod.js';

/** The most one `POST /v1/test_helpers/clock/advance` may move a clock: a year. */
export const maxClockAdvanceSeconds = 365 * 24 * 60 * 60;

export const advanceTestClockInputSchema = z
  .strictObject({
    seconds: z
      .number()
      .int()
      .openapi({
        description: `How far to move the clock ahead: a whole number of seconds from 1 to ${maxClockAdvanceSeconds}. A clock never goes back.`,
        example: 86400,
      }),
  })
  .openapi('AdvanceTestClockInput');
export type AdvanceTestClockInput = z.infer<typeof advanceTestClockInputSchema>;

export const testClockSchema = z
  .object({
    object: z.literal('test_clock'),
    livemode: z.literal(false),
    /** The project's test-mode time, Unix seconds. */
    now: timestampSchema,
    /** How far the clock is ahead of real time. */
    offset_seconds: z.number().int(),
  })
  .openapi('TestClock');
export type TestClockResource = z.infer<typeof testClockSchema>;

export const completePaymentInputSchema = z
  .strictObject({ outcome: z.enum(['succeeded', 'failed']) })
  .openapi('CompleteTestPaymentInput');
export type CompletePaymentInput = z.infer<typeof completePaymentInputSchema>;

export const testDataResetSchema = z
  .object({
    object: z.literal('test_data_reset'),
    livemode: z.literal(false),
    created: timestampSchema,
  })
  .openapi('TestDataReset');

const idempotencyHeader = z.object({ 'idempotency-key': z.string().max(255).optional() });

export function registerTestHelperRoutes(registry: Registry): void {
  const tags = ['Test helpers'];
  const key = [...security.secretKey];
  const testOnly = ' Test mode only: a live key gets 404.';
  registry.registerPath(
    withErrors({
      method: 'get',
      path: '/v1/test_helpers/clock',
      tags,
      summary: "The project's test clock",
      description: `Test-mode time of the project: real time plus how far it was advanced.${testOnly}`,
      security: key,
      responses: { 200: jsonResponse(testClockSchema, 'The clock') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/test_helpers/clock/advance',
      tags,
      summary: 'Move the test clock ahead and run everything due',
      description: `Expiry of unpaid payments, pending UPI payments, expiry of uncaptured authorizations, funds becoming available, dispute deadlines and QR codes' close_by, as of the new time. Zero, negative or too large: 400 clock_advance_invalid on seconds.${testOnly}`,
      security: key,
      request: { body: jsonBody(advanceTestClockInputSchema), headers: idempotencyHeader },
      responses: { 200: jsonResponse(testClockSchema, 'The clock after the move') },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/test_helpers/payments/{id}/complete',
      tags,
      summary: 'Settle a processing payment now',
      description: `succeeded moves the money; failed returns the payment to requires_payment_method with last_payment_error.${testOnly}`,
      security: key,
      request: {
        params: z.object({ id: idSchema('pay') }),
        body: jsonBody(completePaymentInputSchema),
        headers: idempotencyHeader,
      },
      responses: {
        200: jsonResponse(paymentSchema, 'The payment'),
        409: jsonResponse(z.any(), 'The payment is not processing'),
      },
    }),
  );
  registry.registerPath(
    withErrors({
      method: 'post',
      path: '/v1/test_helpers/reset',
      tags,
      summary: "Empty the project's test data",
      description: `Payments, refunds, events and the test balance are gone from the project's lists; keys, webhook endpoints and live data are kept.${testOnly}`,
      security: key,
      request: { headers: idempotencyHeader },
      responses: { 200: jsonResponse(testDataResetSchema, 'Done') },
    }),
  );
}
