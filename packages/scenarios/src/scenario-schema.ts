// The scenario file format. zod's "mini" build: the CLI bundles this package, and the mini
// build's functions tree-shake to a few tens of KB where the classic build is ~700 KB.
import * as z from 'zod/mini';

/** `${step.field.path}`: one reference, in a string of its own or inside a longer string. */
export const referencePattern = /\$\{([^{}]*)\}/g;
const wholeReference = /^\$\{[^{}]+\}$/;

/** Step ids and output names: they appear in references, so no dots or spaces. */
export const namePattern = /^[a-z][a-z0-9_-]{0,63}$/;
const nameMessage =
  'must start with a lower-case letter, then letters, digits, _ or - (at most 64)';

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const reference = z
  .string()
  .check(z.regex(wholeReference, 'must be a reference such as ${order.amount}'));
/** A whole number of minor units, or a reference to one. */
const amount = z.union([z.int().check(z.positive('must be positive (minor units)')), reference], {
  error: 'must be a positive integer in minor units (e.g. 49900 for ₹499) or a reference',
});
const timestamp = z.union([z.int().check(z.positive()), reference], {
  error: 'must be Unix seconds or a reference',
});
const metadata = z.record(z.string(), z.string());
/** An object passed to the API as it is (the API names any field it refuses). */
const passThrough = z.record(z.string(), z.unknown());
/** A sandbox card number (docs/sandbox-data.md): spaces and dashes allowed, as the API takes. */
const cardNumber = z
  .string()
  .check(z.regex(/^[\d\s-]{12,23}$/, 'must be a card number such as 4242424242424242'));

export const paymentStates = [
  'requires_payment_method',
  'succeeded',
  'requires_capture',
  'requires_action',
  'processing',
  'canceled',
  'declined',
  'disputed',
  'refunded',
] as const;
export type PaymentState = (typeof paymentStates)[number];

const customerStep = z.strictObject({
  email: z.optional(text(320)),
  name: z.optional(text(200)),
  description: z.optional(text(500)),
  phone: z.optional(text(40)),
  shipping: z.optional(passThrough),
  metadata: z.optional(metadata),
});

const savedCardStep = z
  .strictObject({
    customer: text(200),
    token: z.optional(text(100)),
    number: z.optional(cardNumber),
    billing_details: z.optional(passThrough),
    metadata: z.optional(metadata),
  })
  .check(
    z.refine((card) => card.token === undefined || card.number === undefined, {
      message: 'give token or number, not both',
      path: ['token'],
    }),
  );

const paymentStep = z
  .strictObject({
    amount,
    currency: z.optional(z.string().check(z.regex(/^[a-z]{3}$/, 'must be 3 lower-case letters'))),
    state: z.optional(z.enum(paymentStates)),
    description: z.optional(text(500)),
    metadata: z.optional(metadata),
    customer: z.optional(text(200)),
    customer_email: z.optional(text(320)),
    return_url: z.optional(text(2048)),
    setup_future_usage: z.optional(z.enum(['on_session', 'off_session'])),
    card: z.optional(cardNumber),
    payment_method: z.optional(text(200)),
    vpa: z.optional(text(130)),
    off_session: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((payment, ctx) => {
      const instruments = (['card', 'payment_method', 'vpa'] as const).filter(
        (field) => payment[field] !== undefined,
      );
      if (instruments.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [instruments[1]!],
          message: `give one of card, payment_method or vpa (got ${instruments.join(' and ')})`,
        });
      }
      const state = payment.state ?? 'succeeded';
      if ((state === 'requires_payment_method' || state === 'canceled') && instruments[0]) {
        ctx.addIssue({
          code: 'custom',
          path: [instruments[0]],
          message: `a payment in state ${state} is never paid, so it takes no ${instruments[0]}`,
        });
      }
      if (payment.off_session && payment.payment_method === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['off_session'],
          message: 'charges a saved card: it needs payment_method',
        });
      }
    }),
  );

const captureStep = z.strictObject({
  payment: text(200),
  amount_to_capture: z.optional(amount),
});

const refundStep = z.strictObject({
  payment: text(200),
  amount: z.optional(amount),
  reason: z.optional(z.enum(['duplicate', 'fraudulent', 'requested_by_customer'])),
  metadata: z.optional(metadata),
});

const disputeResponseStep = z
  .strictObject({
    dispute: text(200),
    evidence: z.optional(z.record(z.string(), z.string())),
    accept: z.optional(z.literal(true)),
  })
  .check(
    z.refine((response) => (response.evidence === undefined) !== (response.accept === undefined), {
      message: 'give evidence (winning_evidence wins, losing_evidence loses) or accept: true',
      path: ['evidence'],
    }),
  );

const qrCodeStep = z.strictObject({
  description: text(80),
  usage: z.optional(z.enum(['single_use', 'multiple_use'])),
  amount: z.optional(amount),
  close_by: z.optional(timestamp),
  metadata: z.optional(metadata),
});

const qrPaymentStep = z.strictObject({
  qr_code: text(200),
  amount,
  vpa: z.optional(text(130)),
});

const payoutStep = z.strictObject({
  amount,
  currency: z.optional(z.string().check(z.regex(/^[a-z]{3}$/, 'must be 3 lower-case letters'))),
  vpa: z.optional(text(130)),
  metadata: z.optional(metadata),
});

const positiveInt = z.int().check(z.positive());
const advanceClockStep = z
  .strictObject({
    seconds: z.optional(positiveInt),
    minutes: z.optional(positiveInt),
    hours: z.optional(positiveInt),
    days: z.optional(positiveInt),
  })
  .check(
    z.refine((by) => Object.values(by).some((value) => value !== undefined), {
      message: 'give seconds, minutes, hours or days',
      path: ['seconds'],
    }),
  );

const completePaymentStep = z.strictObject({
  payment: text(200),
  outcome: z.enum(['succeeded', 'failed']),
});

const authenticateStep = z.strictObject({
  payment: text(200),
  outcome: z.enum(['complete', 'fail']),
});

/** Objects a `check` step reads, by the field that names the one to read. */
export const checkableObjects = [
  'payment',
  'customer',
  'payment_method',
  'refund',
  'dispute',
  'qr_code',
  'payout',
  'charge',
] as const;

const checkStep = z
  .strictObject({
    ...(Object.fromEntries(checkableObjects.map((object) => [object, z.optional(text(200))])) as {
      [K in (typeof checkableObjects)[number]]: z.ZodMiniOptional<z.ZodMiniString>;
    }),
    balance: z.optional(z.literal(true)),
    clock: z.optional(z.literal(true)),
  })
  .check(
    z.superRefine((check, ctx) => {
      const named = Object.keys(check).filter(
        (key) => check[key as keyof typeof check] !== undefined,
      );
      if (named.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: named[1] ? [named[1]] : [],
          message: `name one object to read: ${[...checkableObjects, 'balance', 'clock'].join(', ')}`,
        });
      }
    }),
  );

/** Every kind of step, by the key that names it in a step. */
export const stepKindSchemas = {
  customer: customerStep,
  saved_card: savedCardStep,
  payment: paymentStep,
  capture: captureStep,
  refund: refundStep,
  dispute_response: disputeResponseStep,
  qr_code: qrCodeStep,
  qr_payment: qrPaymentStep,
  payout: payoutStep,
  advance_clock: advanceClockStep,
  complete_payment: completePaymentStep,
  authenticate: authenticateStep,
  check: checkStep,
};
export type StepKind = keyof typeof stepKindSchemas;
export const stepKinds = Object.keys(stepKindSchemas) as StepKind[];

/** Field path → the value it must have after the step (references allowed in strings). */
const expectations = z.record(
  z.string().check(z.regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'must be a field path such as status')),
  z.union([z.string(), z.number(), z.boolean(), z.null()], {
    error: 'must be a string, number, boolean or null',
  }),
);

const stepSchema = z
  .strictObject({
    id: z.string().check(z.regex(namePattern, nameMessage)),
    description: z.optional(text(500)),
    expect: z.optional(expectations),
    ...Object.fromEntries(
      Object.entries(stepKindSchemas).map(([kind, schema]) => [kind, z.optional(schema)]),
    ),
  } as {
    id: z.ZodMiniString;
    description: z.ZodMiniOptional<z.ZodMiniString>;
    expect: z.ZodMiniOptional<typeof expectations>;
  } & { [K in StepKind]: z.ZodMiniOptional<(typeof stepKindSchemas)[K]> })
  .check(
    z.superRefine((step, ctx) => {
      const kinds = stepKinds.filter((kind) => step[kind] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: kinds[1] ? [kinds[1]] : [],
          message:
            kinds.length === 0
              ? `a step needs one of: ${stepKinds.join(', ')}`
              : `a step does one thing (got ${kinds.join(' and ')}): split it into two steps`,
        });
      }
    }),
  );

export const scenarioSchema = z.strictObject({
  version: z.literal(1, 'must be 1 (the only version of the format)'),
  name: z
    .string()
    .check(
      z.regex(
        /^[a-z0-9][a-z0-9._-]{0,99}$/,
        'must be lower-case letters, digits, ., _ or - (at most 100): it makes the Idempotency-Keys',
      ),
    ),
  description: z.optional(text(2000)),
  steps: z.array(stepSchema).check(z.minLength(1), z.maxLength(500)),
  outputs: z.optional(
    z.record(
      z.string().check(z.regex(namePattern, nameMessage)),
      z.string().check(z.maxLength(2000)),
    ),
  ),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];
export type StepInput<K extends StepKind> = z.infer<(typeof stepKindSchemas)[K]>;

/** The one kind a valid step has. */
export function kindOf(step: ScenarioStep): StepKind {
  const kind = stepKinds.find((candidate) => step[candidate] !== undefined);
  if (!kind) throw new Error(`step ${step.id} has no kind`);
  return kind;
}
