import { readFileSync } from 'node:fs';
import { stripeOperations } from '@expe/stripe-compat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  type ApiResponse,
  type TestPlatform,
} from './support/test-platform.js';
import { connectRealtime } from './support/realtime-socket.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

// A project is a sandbox (issue 19): one merchant, two projects; project 2 — with its secret key
// and with a merchant user's session naming it (Expe-Project) — must neither see, list, change
// nor receive anything of project 1. The matrix of objects is GENERATED from openapi.json: every
// parameter of a public operation that names an object (a path id, a body or query field whose
// pattern is an id prefix) is a row, and each row must be in `table` below (which of project 1's
// objects to name and what body to send) or the test fails, so a new route cannot skip it.
// The Stripe-compatible listener (one Stripe account per project and mode) gets the same
// matrix, generated from its operation table (@expe/stripe-compat's stripeOperations).

type Json = Record<string, any>;
const document = JSON.parse(
  readFileSync(new URL('../packages/contracts/openapi.json', import.meta.url), 'utf8'),
) as Json;

/** Project 1's objects, one of every kind a public route can name. */
interface Fixtures {
  payment: string;
  unpaid: string;
  unpaidClientSecret: string;
  capturable: string;
  processing: string;
  /** The succeeded charge of `payment`, and the uncaptured one of `capturable`. */
  charge: string;
  capturableCharge: string;
  /** The charge of `disputedPayment`. */
  disputedCharge: string;
  refund: string;
  customer: string;
  paymentMethod: string;
  setupIntent: string;
  setupIntentClientSecret: string;
  qrCode: string;
  paymentLink: string;
  /** An open Checkout Session and the payment it opened. */
  checkoutSession: string;
  checkoutPayment: string;
  dispute: string;
  disputedPayment: string;
  payout: string;
  webhookEndpoint: string;
  event: string;
  balanceTransaction: string;
}
type FixtureName = Exclude<keyof Fixtures, 'unpaidClientSecret' | 'setupIntentClientSecret'>;
/** Project 2's own objects, for the other parameters of a row that names one of project 1's. */
interface OwnFixtures {
  webhookEndpoint: string;
  customer: string;
  paymentMethod: string;
  setupIntent: string;
  /** An unpaid payment of project 2 and its client secret. */
  payment: string;
  paymentClientSecret: string;
}

const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };

interface Row {
  /** Which of project 1's objects the parameter names. */
  names: FixtureName;
  /** The request body (for a body parameter it must carry project 1's id). */
  body?: (p1: Fixtures, p2: OwnFixtures) => unknown;
}
type Entry = Row | { exempt: string };

const checkoutLineItem = {
  price_data: { currency: 'inr', unit_amount: 1_500, product_data: { name: 'Tea' } },
  quantity: 1,
};

const merchantConsole =
  "the merchant's own projects and keys: a merchant user's console route above the projects (a key gets 401 there)";

// Keyed by `METHOD path parameter`: `id` (path), `body.customer`, `query.payment`.
const table: Record<string, Entry> = {
  'POST /v1/admin/users/{id}/disable id': { exempt: "an administrator's route over people" },
  'GET /v1/projects/{id} id': { exempt: merchantConsole },
  'POST /v1/projects/{id} id': { exempt: merchantConsole },
  'DELETE /v1/projects/{id} id': { exempt: merchantConsole },
  'POST /v1/projects/{id}/api_keys id': { exempt: merchantConsole },
  'GET /v1/projects/{id}/api_keys id': { exempt: merchantConsole },
  'DELETE /v1/projects/{id}/api_keys/{key_id} id': { exempt: merchantConsole },
  'DELETE /v1/projects/{id}/api_keys/{key_id} key_id': { exempt: merchantConsole },
  'POST /v1/projects/{id}/api_keys/{key_id}/roll id': { exempt: merchantConsole },
  'POST /v1/projects/{id}/api_keys/{key_id}/roll key_id': { exempt: merchantConsole },
  'POST /v1/payment_links/{id}/checkout id': {
    exempt: 'public: whoever holds the link may start its checkout, with or without a credential',
  },
  'GET /v1/receipts/{id} id': {
    exempt: "public: whoever holds a charge's receipt_url (its token) may read the receipt",
  },

  'GET /v1/payments/{id} id': { names: 'payment' },
  'POST /v1/payments/{id} id': { names: 'payment', body: () => ({ description: 'Taken over' }) },
  'GET /v1/payments query.customer': { names: 'customer' },
  // Authorized by the client secret; a key or session that comes with it must be the payment's.
  'POST /v1/payments/{id}/confirm id': {
    names: 'unpaid',
    body: (p1) => ({ client_secret: p1.unpaidClientSecret, method: 'card', card }),
  },
  // Project 2's own payment confirmed with project 1's PaymentMethod.
  'POST /v1/payments/{id}/confirm body.payment_method': {
    names: 'paymentMethod',
    body: (p1, p2) => ({
      client_secret: p2.paymentClientSecret,
      method: 'card',
      payment_method: p1.paymentMethod,
    }),
  },
  'POST /v1/payments/{id}/authenticate id': {
    names: 'unpaid',
    body: (p1) => ({ client_secret: p1.unpaidClientSecret, outcome: 'complete' }),
  },
  'POST /v1/payments/{id}/capture id': { names: 'capturable', body: () => ({}) },
  'POST /v1/payments/{id}/cancel id': { names: 'unpaid', body: () => ({}) },
  'GET /v1/payments/{id}/qr id': { names: 'payment' },
  'GET /v1/payments/{id}/timeline id': { names: 'payment' },
  'POST /v1/test_helpers/payments/{id}/complete id': {
    names: 'processing',
    body: () => ({ outcome: 'succeeded' }),
  },
  'POST /v1/payments body.customer': {
    names: 'customer',
    body: (p1) => ({ amount: 1_000, currency: 'inr', customer: p1.customer }),
  },
  // With project 2's own customer, so only the saved card is another project's.
  'POST /v1/payments body.payment_method': {
    names: 'paymentMethod',
    body: (p1, p2) => ({
      amount: 1_000,
      currency: 'inr',
      customer: p2.customer,
      payment_method: p1.paymentMethod,
      confirm: true,
      off_session: true,
    }),
  },
  'POST /v1/refunds body.payment': {
    names: 'payment',
    body: (p1) => ({ payment: p1.payment, amount: 1_000 }),
  },
  'GET /v1/refunds/{id} id': { names: 'refund' },
  'POST /v1/refunds/{id} id': { names: 'refund', body: () => ({ metadata: { taken: 'over' } }) },
  'GET /v1/refunds query.payment': { names: 'payment' },
  'GET /v1/charges/{id} id': { names: 'charge' },
  'POST /v1/charges/{id} id': { names: 'charge', body: () => ({ metadata: { taken: 'over' } }) },
  'POST /v1/charges/{id}/capture id': { names: 'capturableCharge', body: () => ({}) },
  'GET /v1/charges query.payment': { names: 'payment' },
  'GET /v1/charges query.customer': { names: 'customer' },
  'GET /v1/events/{id} id': { names: 'event' },
  'GET /v1/balance_transactions/{id} id': { names: 'balanceTransaction' },
  'GET /v1/balance_transactions query.source': { names: 'payment' },
  'GET /v1/payouts/{id} id': { names: 'payout' },
  'POST /v1/payouts/{id} id': { names: 'payout', body: () => ({ metadata: { taken: 'over' } }) },
  'POST /v1/payouts/{id}/cancel id': { names: 'payout', body: () => ({}) },
  'POST /v1/payouts/{id}/reverse id': { names: 'payout', body: () => ({}) },
  'GET /v1/disputes/{id} id': { names: 'dispute' },
  'GET /v1/disputes query.payment': { names: 'disputedPayment' },
  'POST /v1/disputes/{id} id': {
    names: 'dispute',
    body: () => ({ evidence: { uncategorized_text: 'losing_evidence' } }),
  },
  'POST /v1/disputes/{id}/close id': { names: 'dispute', body: () => ({}) },
  'GET /v1/customers/{id} id': { names: 'customer' },
  'POST /v1/customers/{id} id': { names: 'customer', body: () => ({ name: 'Taken over' }) },
  'DELETE /v1/customers/{id} id': { names: 'customer' },
  'GET /v1/customers/{id}/payment_methods id': { names: 'customer' },
  'GET /v1/payment_methods/{id} id': { names: 'paymentMethod' },
  'POST /v1/payment_methods/{id}/detach id': { names: 'paymentMethod', body: () => ({}) },
  'POST /v1/payment_methods/{id} id': {
    names: 'paymentMethod',
    body: () => ({ metadata: { taken: 'over' } }),
  },
  'POST /v1/payment_methods/{id}/attach id': {
    names: 'paymentMethod',
    body: (_p1, p2) => ({ customer: p2.customer }),
  },
  // Project 2's own PaymentMethod attached to project 1's customer.
  'POST /v1/payment_methods/{id}/attach body.customer': {
    names: 'customer',
    body: (p1) => ({ customer: p1.customer }),
  },
  'GET /v1/payment_methods query.customer': { names: 'customer' },
  'POST /v1/setup_intents body.customer': {
    names: 'customer',
    body: (p1) => ({ customer: p1.customer }),
  },
  'POST /v1/setup_intents body.payment_method': {
    names: 'paymentMethod',
    body: (p1) => ({ payment_method: p1.paymentMethod, confirm: true }),
  },
  'GET /v1/setup_intents query.customer': { names: 'customer' },
  'GET /v1/setup_intents query.payment_method': { names: 'paymentMethod' },
  'GET /v1/setup_intents/{id} id': { names: 'setupIntent' },
  'POST /v1/setup_intents/{id} id': {
    names: 'setupIntent',
    body: () => ({ metadata: { taken: 'over' } }),
  },
  // Project 2's own SetupIntent naming project 1's customer or PaymentMethod.
  'POST /v1/setup_intents/{id} body.customer': {
    names: 'customer',
    body: (p1) => ({ customer: p1.customer }),
  },
  'POST /v1/setup_intents/{id} body.payment_method': {
    names: 'paymentMethod',
    body: (p1) => ({ payment_method: p1.paymentMethod }),
  },
  'POST /v1/setup_intents/{id}/confirm id': {
    names: 'setupIntent',
    body: (_p1, p2) => ({ payment_method: p2.paymentMethod }),
  },
  'POST /v1/setup_intents/{id}/confirm body.payment_method': {
    names: 'paymentMethod',
    body: (p1) => ({ payment_method: p1.paymentMethod }),
  },
  'POST /v1/setup_intents/{id}/cancel id': { names: 'setupIntent', body: () => ({}) },
  // Authorized by the client secret; a key or session that comes with it must be the SetupIntent's.
  'POST /v1/setup_intents/{id}/authenticate id': {
    names: 'setupIntent',
    body: (p1) => ({ client_secret: p1.setupIntentClientSecret, outcome: 'complete' }),
  },
  'GET /v1/qr_codes/{id} id': { names: 'qrCode' },
  'GET /v1/qr_codes/{id}/image id': { names: 'qrCode' },
  'GET /v1/qr_codes/{id}/payments id': { names: 'qrCode' },
  'POST /v1/qr_codes/{id}/close id': { names: 'qrCode', body: () => ({}) },
  'POST /v1/test_helpers/qr_codes/{id}/pay id': {
    names: 'qrCode',
    body: () => ({ amount: 2_500, vpa: 'success@expe' }),
  },
  'GET /v1/payment_links/{id} id': { names: 'paymentLink' },
  'POST /v1/payment_links/{id} id': { names: 'paymentLink', body: () => ({ active: false }) },
  'POST /v1/checkout/sessions body.customer': {
    names: 'customer',
    body: (p1) => ({ line_items: [checkoutLineItem], customer: p1.customer }),
  },
  'GET /v1/checkout/sessions query.payment_intent': { names: 'checkoutPayment' },
  'GET /v1/checkout/sessions query.customer': { names: 'customer' },
  'GET /v1/checkout/sessions/{id} id': { names: 'checkoutSession' },
  'GET /v1/checkout/sessions/{id}/line_items id': { names: 'checkoutSession' },
  'POST /v1/checkout/sessions/{id}/expire id': { names: 'checkoutSession', body: () => ({}) },
  'GET /v1/webhook_endpoints/{id} id': { names: 'webhookEndpoint' },
  'POST /v1/webhook_endpoints/{id} id': {
    names: 'webhookEndpoint',
    body: () => ({ description: 'Taken over' }),
  },
  'DELETE /v1/webhook_endpoints/{id} id': { names: 'webhookEndpoint' },
  'POST /v1/webhook_endpoints/{id}/rotate_secret id': {
    names: 'webhookEndpoint',
    body: () => ({}),
  },
  'POST /v1/webhook_endpoints/{id}/test id': { names: 'webhookEndpoint', body: () => ({}) },
  'GET /v1/webhook_endpoints/{id}/deliveries id': { names: 'webhookEndpoint' },
  'GET /v1/webhook_endpoints/{id}/deliveries query.event': { names: 'event' },
  'POST /v1/webhook_endpoints/{id}/redeliver id': {
    names: 'webhookEndpoint',
    body: (p1) => ({ event: p1.event }),
  },
  // Project 2's own endpoint asked to redeliver project 1's event.
  'POST /v1/webhook_endpoints/{id}/redeliver body.event': {
    names: 'event',
    body: (p1) => ({ event: p1.event }),
  },
};

/** Project 2's object for a path parameter that is not the one under test, by id prefix. */
const ownByPrefix: Record<string, keyof OwnFixtures> = {
  we: 'webhookEndpoint',
  cus: 'customer',
  pm: 'paymentMethod',
  seti: 'setupIntent',
  pay: 'payment',
};

// ── The operations and their object parameters, from openapi.json ───────────────────────────

interface ObjectParameter {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** `id` (path), `body.<field>` or `query.<field>`. */
  parameter: string;
  where: 'path' | 'body' | 'query';
  pathParameters: { name: string; prefixes: string[] }[];
}

function resolveSchema(schema: Json | undefined): Json | undefined {
  if (schema?.$ref)
    return resolveSchema(document.components.schemas[String(schema.$ref).split('/').pop()!]);
  return schema;
}

/** The id prefixes a schema's pattern accepts (`^pay_…`, `^(pay|re)_…`), or none. */
function idPrefixes(schema: Json | undefined): string[] {
  // A Checkout Session's id carries its mode (`^cs_(test|live)_…`), as Stripe's.
  const match = /^\^\(?([a-z|]+)\)?(?:_\(test\|live\))?_\[0-9a-z\]/.exec(
    String(resolveSchema(schema)?.pattern ?? ''),
  );
  return match ? match[1]!.split('|') : [];
}

/** Body fields (nested as `a.b`) whose pattern is an object id. */
function bodyIdFields(schema: Json | undefined, prefix = ''): string[] {
  const resolved = resolveSchema(schema);
  if (!resolved) return [];
  const variants = [
    ...(resolved.anyOf ?? []),
    ...(resolved.oneOf ?? []),
    ...(resolved.allOf ?? []),
  ];
  return [
    ...variants.flatMap((variant: Json) => bodyIdFields(variant, prefix)),
    ...Object.entries((resolved.properties ?? {}) as Json).flatMap(([name, property]) => [
      ...(idPrefixes(property as Json).length ? [`${prefix}${name}`] : []),
      ...bodyIdFields(property as Json, `${prefix}${name}.`),
    ]),
  ];
}

// A list's cursors are positions compared with its ids, never looked up: not an object reference.
const cursors = new Set(['starting_after', 'ending_before']);

const operations = Object.entries(document.paths as Json).flatMap(([path, methods]) =>
  Object.entries(methods as Json).map(([method, op]: [string, Json]) => {
    const parameters = (op.parameters ?? []) as { in: string; name: string; schema?: Json }[];
    return {
      method: method.toUpperCase() as ObjectParameter['method'],
      path,
      secretKey: JSON.stringify(op.security ?? []).includes('secretKey'),
      pathParameters: parameters
        .filter((p) => p.in === 'path')
        .map((p) => ({ name: p.name, prefixes: idPrefixes(p.schema) })),
      queryIds: parameters
        .filter((p) => p.in === 'query' && !cursors.has(p.name) && idPrefixes(p.schema).length)
        .map((p) => p.name),
      bodyIds: bodyIdFields(op.requestBody?.content?.['application/json']?.schema),
      /** `?limit=100`: one page holds everything a list has here. */
      query: parameters.some((p) => p.in === 'query' && p.name === 'limit') ? '?limit=100' : '',
    };
  }),
);

const objectParameters: ObjectParameter[] = operations.flatMap((op) => {
  const base = { method: op.method, path: op.path, pathParameters: op.pathParameters };
  return [
    ...op.pathParameters.map((p) => ({ ...base, parameter: p.name, where: 'path' as const })),
    ...op.bodyIds.map((f) => ({ ...base, parameter: `body.${f}`, where: 'body' as const })),
    ...op.queryIds.map((f) => ({ ...base, parameter: `query.${f}`, where: 'query' as const })),
  ];
});
const keyOf = (p: ObjectParameter) => `${p.method} ${p.path} ${p.parameter}`;
const uncovered = objectParameters.filter((p) => !(keyOf(p) in table));
const stale = Object.keys(table).filter((key) => !objectParameters.some((p) => keyOf(p) === key));
const covered = objectParameters
  .filter((p) => keyOf(p) in table && !('exempt' in table[keyOf(p)]!))
  // Reads first, then writes, deletes last: on code that leaks, a deleted object would make
  // the cells after it pass by accident.
  .sort(
    (a, b) =>
      ['GET', 'POST', 'DELETE'].indexOf(a.method) - ['GET', 'POST', 'DELETE'].indexOf(b.method),
  );

const coveredOperations = new Set(covered.map((p) => `${p.method} ${p.path}`)).size;

/** Every GET a secret key may call that names no object: lists, the balance, the clock, … */
const projectReads = operations.filter(
  (op) => op.method === 'GET' && op.secretKey && op.pathParameters.length === 0,
);

// ── The Stripe-compatible listener's operations, from its operation table ───────────────────

/** Stripe parameters that name an object (of the account, i.e. of the key's project). */
const stripeObjectParams = new Set([
  'payment_intent',
  'charge',
  'customer',
  'payment_method',
  'source',
]);

interface StripeRow {
  names: FixtureName;
  /** The id to send, when it is not the fixture's own (a charge's, a Checkout Session's). */
  id?: (f: Fixtures) => string;
  /** The path's `:id` when a form parameter is under test: project 2's own object. */
  pathId?: (p2: OwnFixtures) => string;
  /** Form parameters (for a body parameter, they carry project 1's id). */
  params?: (p1: Fixtures, p2: OwnFixtures) => Record<string, string>;
}

const savedCardsNotServed = {
  exempt: 'takes test PaymentMethods and tokens (pm_card_visa, tok_…) only, never a saved card',
};

// Keyed by `METHOD path parameter`; `id` is the path's, the others are form or query parameters.
const stripeTable: Record<string, StripeRow | { exempt: string }> = {
  'POST /v1/payment_intents customer': {
    names: 'customer',
    params: (p1) => ({ amount: '1000', currency: 'inr', customer: p1.customer }),
  },
  'POST /v1/payment_intents payment_method': {
    names: 'paymentMethod',
    params: (p1, p2) => ({
      amount: '1000',
      currency: 'inr',
      customer: p2.customer,
      payment_method: p1.paymentMethod,
      confirm: 'true',
      off_session: 'true',
    }),
  },
  'GET /v1/payment_intents customer': { names: 'customer' },
  'GET /v1/payment_intents/:id id': { names: 'payment' },
  'POST /v1/payment_intents/:id id': {
    names: 'unpaid',
    params: () => ({ payment_method: 'pm_card_visa' }),
  },
  'POST /v1/payment_intents/:id payment_method': savedCardsNotServed,
  'POST /v1/payment_intents/:id/confirm id': {
    names: 'unpaid',
    params: () => ({ payment_method: 'pm_card_visa' }),
  },
  'POST /v1/payment_intents/:id/confirm payment_method': savedCardsNotServed,
  'POST /v1/payment_intents/:id/cancel id': { names: 'unpaid' },
  'POST /v1/payment_intents/:id/capture id': { names: 'capturable' },
  'GET /v1/charges/:id id': { names: 'charge' },
  'POST /v1/charges/:id id': { names: 'charge', params: () => ({ 'metadata[taken]': 'over' }) },
  'POST /v1/charges/:id/capture id': { names: 'capturableCharge' },
  'GET /v1/charges payment_intent': { names: 'payment' },
  'GET /v1/charges customer': { names: 'customer' },
  'POST /v1/refunds payment_intent': {
    names: 'payment',
    params: (p1) => ({ payment_intent: p1.payment, amount: '1000' }),
  },
  'POST /v1/refunds charge': {
    names: 'charge',
    params: (p1) => ({ charge: p1.charge, amount: '1000' }),
  },
  'GET /v1/refunds/:id id': { names: 'refund' },
  'POST /v1/refunds/:id id': { names: 'refund', params: () => ({ 'metadata[taken]': 'over' }) },
  'GET /v1/refunds payment_intent': { names: 'payment' },
  'GET /v1/refunds charge': { names: 'charge' },
  'GET /v1/events/:id id': { names: 'event' },
  'GET /v1/webhook_endpoints/:id id': { names: 'webhookEndpoint' },
  'POST /v1/webhook_endpoints/:id id': {
    names: 'webhookEndpoint',
    params: () => ({ description: 'Taken over' }),
  },
  'DELETE /v1/webhook_endpoints/:id id': { names: 'webhookEndpoint' },
  'POST /v1/checkout/sessions customer': {
    names: 'customer',
    params: (p1) => ({
      mode: 'payment',
      'line_items[0][price_data][currency]': 'inr',
      'line_items[0][price_data][unit_amount]': '1500',
      'line_items[0][price_data][product_data][name]': 'Tea',
      'line_items[0][quantity]': '1',
      customer: p1.customer,
    }),
  },
  'GET /v1/checkout/sessions payment_intent': { names: 'checkoutPayment' },
  'GET /v1/checkout/sessions customer': { names: 'customer' },
  'GET /v1/checkout/sessions/:id id': { names: 'checkoutSession' },
  'GET /v1/checkout/sessions/:id/line_items id': { names: 'checkoutSession' },
  'POST /v1/checkout/sessions/:id/expire id': { names: 'checkoutSession' },
  'GET /v1/balance_transactions/:id id': { names: 'balanceTransaction' },
  'GET /v1/balance_transactions source': { names: 'payment' },
  'GET /v1/payouts/:id id': { names: 'payout' },
  'POST /v1/payouts/:id id': { names: 'payout', params: () => ({ 'metadata[taken]': 'over' }) },
  'POST /v1/payouts/:id/cancel id': { names: 'payout' },
  'POST /v1/payouts/:id/reverse id': { names: 'payout' },
  'GET /v1/disputes/:id id': { names: 'dispute' },
  'POST /v1/disputes/:id id': {
    names: 'dispute',
    params: () => ({ 'evidence[uncategorized_text]': 'losing_evidence' }),
  },
  'POST /v1/disputes/:id/close id': { names: 'dispute' },
  'GET /v1/disputes payment_intent': { names: 'disputedPayment' },
  'GET /v1/disputes charge': { names: 'disputedCharge' },
  'GET /v1/customers/:id id': { names: 'customer' },
  'POST /v1/customers/:id id': { names: 'customer', params: () => ({ name: 'Taken over' }) },
  'DELETE /v1/customers/:id id': { names: 'customer' },
  'GET /v1/customers/:id/payment_methods id': { names: 'customer' },
  'GET /v1/payment_methods/:id id': { names: 'paymentMethod' },
  'GET /v1/payment_methods customer': { names: 'customer' },
  'POST /v1/payment_methods/:id/detach id': { names: 'paymentMethod' },
  'POST /v1/payment_methods/:id id': {
    names: 'paymentMethod',
    params: () => ({ 'metadata[taken]': 'over' }),
  },
  'POST /v1/payment_methods/:id/attach id': {
    names: 'paymentMethod',
    params: (_p1, p2) => ({ customer: p2.customer }),
  },
  'POST /v1/payment_methods/:id/attach customer': {
    names: 'customer',
    pathId: (p2) => p2.paymentMethod,
    params: (p1) => ({ customer: p1.customer }),
  },
  'POST /v1/setup_intents customer': {
    names: 'customer',
    params: (p1) => ({ customer: p1.customer }),
  },
  'POST /v1/setup_intents payment_method': {
    names: 'paymentMethod',
    params: (p1) => ({ payment_method: p1.paymentMethod, confirm: 'true' }),
  },
  'GET /v1/setup_intents customer': { names: 'customer' },
  'GET /v1/setup_intents payment_method': { names: 'paymentMethod' },
  'GET /v1/setup_intents/:id id': { names: 'setupIntent' },
  'POST /v1/setup_intents/:id id': {
    names: 'setupIntent',
    params: () => ({ 'metadata[taken]': 'over' }),
  },
  'POST /v1/setup_intents/:id customer': {
    names: 'customer',
    pathId: (p2) => p2.setupIntent,
    params: (p1) => ({ customer: p1.customer }),
  },
  'POST /v1/setup_intents/:id payment_method': {
    names: 'paymentMethod',
    pathId: (p2) => p2.setupIntent,
    params: (p1) => ({ payment_method: p1.paymentMethod }),
  },
  'POST /v1/setup_intents/:id/confirm id': {
    names: 'setupIntent',
    params: (_p1, p2) => ({ payment_method: p2.paymentMethod }),
  },
  'POST /v1/setup_intents/:id/confirm payment_method': {
    names: 'paymentMethod',
    pathId: (p2) => p2.setupIntent,
    params: (p1) => ({ payment_method: p1.paymentMethod }),
  },
  'POST /v1/setup_intents/:id/cancel id': { names: 'setupIntent' },
};

interface StripeObjectParameter {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  parameter: string;
  where: 'path' | 'body' | 'query';
}

// Operations Expe does not serve answer "not supported" before anything is looked up.
const servedStripeOperations = stripeOperations.filter((op) => op.support !== 'not');
const stripeKeyOf = (p: StripeObjectParameter) => `${p.method} ${p.path} ${p.parameter}`;
const stripeObjectParameters: StripeObjectParameter[] = servedStripeOperations.flatMap((op) => [
  ...(op.path.includes(':id')
    ? [{ method: op.method, path: op.path, parameter: 'id', where: 'path' as const }]
    : []),
  ...Object.entries(op.params)
    .filter(([name, spec]) => stripeObjectParams.has(name) && spec.support !== 'not')
    .map(([name]) => ({
      method: op.method,
      path: op.path,
      parameter: name,
      where: op.method === 'GET' ? ('query' as const) : ('body' as const),
    })),
]);
const stripeUncovered = stripeObjectParameters.filter((p) => !(stripeKeyOf(p) in stripeTable));
const stripeStale = Object.keys(stripeTable).filter(
  (key) => !stripeObjectParameters.some((p) => stripeKeyOf(p) === key),
);
const stripeCells = stripeObjectParameters
  .filter((p) => stripeKeyOf(p) in stripeTable && !('exempt' in stripeTable[stripeKeyOf(p)]!))
  .sort(
    (a, b) =>
      ['GET', 'POST', 'DELETE'].indexOf(a.method) - ['GET', 'POST', 'DELETE'].indexOf(b.method),
  );
/** The listener's reads that name no object and need no parameter: its lists and the balance. */
const stripeReads = servedStripeOperations.filter(
  (op) =>
    op.method === 'GET' &&
    !op.path.includes(':id') &&
    !Object.values(op.params).some((spec) => spec.required),
);

// ── The callers ─────────────────────────────────────────────────────────────────────────────

type CallerName = 'project 2 secret key' | 'project 2 merchant session';
const callerNames: CallerName[] = ['project 2 secret key', 'project 2 merchant session'];
interface Caller {
  token: string;
  headers?: Record<string, string>;
}

const idCells = covered.flatMap((row) => callerNames.map((caller) => ({ ...row, caller })));
const listCells = projectReads.flatMap((op) => callerNames.map((caller) => ({ ...op, caller })));

let t: TestPlatform;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let p1: Fixtures;
let p2: OwnFixtures;
let p1Key = '';
let p1Project = '';
let p2Project = '';
const callers = {} as Record<CallerName, Caller>;

/** Over the socket a session names its project in the subscribe message (docs/websocket.md). */
function socketCredential(caller: CallerName): Json {
  const { token, headers } = callers[caller];
  return headers
    ? { token, project: headers['expe-project'], mode: headers['expe-mode'] }
    : { token };
}

const as = (caller: Caller, method: string, path: string, body?: unknown) =>
  t.api(method, path, {
    token: caller.token,
    ...(caller.headers ? { headers: caller.headers } : {}),
    ...(body !== undefined ? { body } : {}),
  });
const asP1 = (method: string, path: string, body?: unknown) =>
  as({ token: p1Key }, method, path, body);

/** Calls the Stripe-compatible listener as the stripe package would: form-encoded, a key. */
async function stripeApi(
  key: string,
  method: string,
  path: string,
  params: Record<string, string> = {},
): Promise<ApiResponse> {
  const url = new URL(path, t.platform.stripeUrl);
  const form = new URLSearchParams(params).toString();
  if (method === 'GET' && form) url.search = form;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(method !== 'GET' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(method !== 'GET' ? { body: form } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
}

async function ok(response: Promise<ApiResponse>, status = 200): Promise<Json> {
  const answer = await response;
  expect(answer.status, answer.text).toBe(status);
  return answer.body as Json;
}

async function paidPayment(number = card.number, extra: Json = {}): Promise<Json> {
  const payment = await ok(
    asP1('POST', '/v1/payments', { amount: 100_000, currency: 'inr', ...extra }),
    201,
  );
  return ok(
    asP1('POST', `/v1/payments/${payment.id}/confirm`, {
      client_secret: payment.client_secret,
      method: 'card',
      card: { ...card, number },
    }),
  );
}

beforeAll(async () => {
  t = await startTestPlatform({
    // The processing payment stays processing for the whole run.
    UPI_PENDING_DELAY_MS: String(7 * 86_400_000),
  });
  receiver = await startWebhookReceiver();
  const merchant = await onboardMerchant(t, 'isolation');
  p1Key = merchant.key.secret;
  p1Project = merchant.project.id;
  const project2 = await ok(
    t.api('POST', '/v1/projects', { token: merchant.token, body: { name: 'Project 2' } }),
    201,
  );
  p2Project = project2.id;
  const key2 = await ok(
    t.api('POST', `/v1/projects/${p2Project}/api_keys`, {
      token: merchant.token,
      body: { name: 'server', mode: 'test' },
    }),
    201,
  );
  callers['project 2 secret key'] = { token: key2.secret };
  callers['project 2 merchant session'] = {
    token: merchant.token,
    headers: { 'expe-project': p2Project, 'expe-mode': 'test' },
  };

  // Money in, part of it refunded, a disputed payment, a saved card.
  const payment = await paidPayment();
  const refund = await ok(
    asP1('POST', '/v1/refunds', { payment: payment.id, amount: 10_000 }),
    201,
  );
  const disputedPayment = await paidPayment('4000000000000259');
  const disputes = await ok(asP1('GET', `/v1/disputes?payment=${disputedPayment.id}`));
  const customer = await ok(
    asP1('POST', '/v1/customers', { email: 'shopper@example.com', name: 'Shopper' }),
    201,
  );
  await paidPayment(card.number, { customer: customer.id, setup_future_usage: 'off_session' });
  const methods = await ok(asP1('GET', `/v1/customers/${customer.id}/payment_methods`));
  // A SetupIntent waiting for the 3-D Secure challenge: every action on it is still open.
  const challengedMethod = await ok(
    asP1('POST', '/v1/payment_methods', {
      type: 'card',
      card: { token: 'tok_threeDSecureRequired' },
    }),
    201,
  );
  const setupIntent = await ok(
    asP1('POST', '/v1/setup_intents', {
      customer: customer.id,
      payment_method: challengedMethod.id,
      confirm: true,
    }),
    201,
  );
  // Two days on project 1's clock make the money available for a payout.
  await ok(asP1('POST', '/v1/test_helpers/clock/advance', { seconds: 172_800 }));
  const payout = await ok(
    asP1('POST', '/v1/payouts', {
      amount: 10_000,
      currency: 'inr',
      destination: { vpa: 'success@expe' },
    }),
    201,
  );
  // After the clock moved, so none of them expires during the run.
  const unpaid = await ok(asP1('POST', '/v1/payments', { amount: 2_000, currency: 'inr' }), 201);
  const capturable = await ok(
    asP1('POST', '/v1/payments', { amount: 3_000, currency: 'inr', capture_method: 'manual' }),
    201,
  );
  const authorized = await ok(
    asP1('POST', `/v1/payments/${capturable.id}/confirm`, {
      client_secret: capturable.client_secret,
      method: 'card',
      card,
    }),
  );
  const processing = await ok(
    asP1('POST', '/v1/payments', { amount: 4_000, currency: 'inr' }),
    201,
  );
  await ok(
    asP1('POST', `/v1/payments/${processing.id}/confirm`, {
      client_secret: processing.client_secret,
      method: 'upi',
      upi: { vpa: 'pending@expe' },
    }),
  );
  const qrCode = await ok(
    asP1('POST', '/v1/qr_codes', {
      usage: 'multiple_use',
      fixed_amount: false,
      description: 'Counter',
    }),
    201,
  );
  const paymentLink = await ok(
    asP1('POST', '/v1/payment_links', {
      amount: 5_000,
      currency: 'inr',
      description: 'Tea',
      reusable: true,
    }),
    201,
  );
  const checkoutSession = await ok(
    asP1('POST', '/v1/checkout/sessions', {
      line_items: [checkoutLineItem],
      customer: customer.id,
    }),
    201,
  );
  // Subscribed to an event nothing here makes, so no delivery changes it in the background.
  const endpoint = { url: receiver.url, enabled_events: ['payout.failed'] };
  const webhookEndpoint = await ok(asP1('POST', '/v1/webhook_endpoints', endpoint), 201);
  const events = await ok(asP1('GET', '/v1/events?type=payment.succeeded&limit=1'));
  const balanceTransactions = await ok(asP1('GET', '/v1/balance_transactions?limit=1'));
  p1 = {
    payment: payment.id,
    unpaid: unpaid.id,
    unpaidClientSecret: unpaid.client_secret,
    capturable: capturable.id,
    processing: processing.id,
    charge: payment.latest_charge,
    capturableCharge: authorized.latest_charge,
    disputedCharge: disputedPayment.latest_charge,
    refund: refund.id,
    customer: customer.id,
    paymentMethod: methods.data[0].id,
    setupIntent: setupIntent.id,
    setupIntentClientSecret: setupIntent.client_secret,
    qrCode: qrCode.id,
    paymentLink: paymentLink.id,
    checkoutSession: checkoutSession.id,
    checkoutPayment: checkoutSession.payment_intent,
    dispute: disputes.data[0].id,
    disputedPayment: disputedPayment.id,
    payout: payout.id,
    webhookEndpoint: webhookEndpoint.id,
    event: events.data[0].id,
    balanceTransaction: balanceTransactions.data[0].id,
  };
  const own = callers['project 2 secret key'];
  const ownPayment = await ok(
    as(own, 'POST', '/v1/payments', { amount: 1_000, currency: 'inr' }),
    201,
  );
  p2 = {
    webhookEndpoint: (await ok(as(own, 'POST', '/v1/webhook_endpoints', endpoint), 201)).id,
    customer: (await ok(as(own, 'POST', '/v1/customers', { name: 'Own' }), 201)).id,
    paymentMethod: (
      await ok(
        as(own, 'POST', '/v1/payment_methods', { type: 'card', card: { token: 'tok_visa' } }),
        201,
      )
    ).id,
    setupIntent: (await ok(as(own, 'POST', '/v1/setup_intents', {}), 201)).id,
    payment: ownPayment.id,
    paymentClientSecret: ownPayment.client_secret,
  };
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

// ── What "nothing was written" compares ────────────────────────────────────────────────────

/** How project 1 reads each of its objects back. */
const readBacks: Record<FixtureName, (f: Fixtures) => string[]> = {
  payment: (f) => [`/v1/payments/${f.payment}`, `/v1/payments/${f.payment}/timeline`],
  unpaid: (f) => [`/v1/payments/${f.unpaid}`],
  capturable: (f) => [`/v1/payments/${f.capturable}`],
  charge: (f) => [`/v1/charges/${f.charge}`],
  capturableCharge: (f) => [`/v1/charges/${f.capturableCharge}`, `/v1/payments/${f.capturable}`],
  disputedCharge: (f) => [`/v1/charges/${f.disputedCharge}`],
  processing: (f) => [`/v1/payments/${f.processing}`],
  refund: (f) => [`/v1/refunds/${f.refund}`, `/v1/payments/${f.payment}`],
  customer: (f) => [`/v1/customers/${f.customer}`, `/v1/customers/${f.customer}/payment_methods`],
  paymentMethod: (f) => [`/v1/payment_methods/${f.paymentMethod}`],
  setupIntent: (f) => [`/v1/setup_intents/${f.setupIntent}`],
  qrCode: (f) => [`/v1/qr_codes/${f.qrCode}`, `/v1/qr_codes/${f.qrCode}/payments`],
  paymentLink: (f) => [`/v1/payment_links/${f.paymentLink}`],
  checkoutSession: (f) => [
    `/v1/checkout/sessions/${f.checkoutSession}`,
    `/v1/checkout/sessions/${f.checkoutSession}/line_items`,
  ],
  checkoutPayment: (f) => [`/v1/payments/${f.checkoutPayment}`],
  dispute: (f) => [`/v1/disputes/${f.dispute}`],
  disputedPayment: (f) => [`/v1/payments/${f.disputedPayment}`],
  payout: (f) => [`/v1/payouts/${f.payout}`],
  webhookEndpoint: (f) => [
    `/v1/webhook_endpoints/${f.webhookEndpoint}`,
    `/v1/webhook_endpoints/${f.webhookEndpoint}/deliveries`,
  ],
  event: (f) => [`/v1/events/${f.event}`],
  balanceTransaction: (f) => [`/v1/balance_transactions/${f.balanceTransaction}`],
};
/** What any write in project 1 would change: its events, payments, refunds and balance. */
const projectState = [
  '/v1/events?limit=100',
  '/v1/payments?limit=100',
  '/v1/refunds?limit=100',
  '/v1/charges?limit=100',
  '/v1/balance',
];

async function snapshot(paths: string[]): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    paths.map(async (path) => {
      const response = await asP1('GET', path);
      return [path, { status: response.status, body: response.body }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Project 1's objects made after the lists were first read. */
const madeLater = new Set<string>();
let project1IdsOnce: Promise<Set<string>> | undefined;

/** Every id in project 1's lists (and its fixtures): none may reach project 2. */
function project1Ids(): Promise<Set<string>> {
  project1IdsOnce ??= collectProject1Ids();
  return project1IdsOnce;
}

async function collectProject1Ids(): Promise<Set<string>> {
  const ids = new Set<string>(
    Object.entries(p1)
      .filter(([name]) => !name.endsWith('ClientSecret'))
      .map(([, id]) => id),
  );
  for (const op of projectReads) {
    const response = await asP1('GET', `${op.path}${op.query}`);
    for (const item of (response.body as Json)?.data ?? []) ids.add(String(item.id));
  }
  return ids;
}

function leakedIds(text: string, ids: Set<string>): string[] {
  return [...ids].filter((id) => text.includes(id));
}

function substitute(row: ObjectParameter): string {
  let path = row.path;
  for (const { name, prefixes } of row.pathParameters) {
    const value =
      row.where === 'path' && name === row.parameter
        ? p1[(table[keyOf(row)] as Row).names]
        : p2[ownByPrefix[prefixes[0] ?? ''] ?? ('none' as keyof OwnFixtures)];
    if (!value) throw new Error(`${keyOf(row)}: no object of project 2 for {${name}}`);
    path = path.replace(`{${name}}`, value);
  }
  if (row.where === 'query') {
    path += `?${row.parameter.slice('query.'.length)}=${p1[(table[keyOf(row)] as Row).names]}`;
  }
  return path;
}

describe(`project isolation matrix (issue 19): ${coveredOperations} operations, ${covered.length} object parameters × ${callerNames.length} callers = ${idCells.length} cells; ${projectReads.length} project reads × ${callerNames.length} callers`, () => {
  it('when openapi.json names an object in a parameter, then the isolation table has a row for it', () => {
    const missing = uncovered.map(
      (p) =>
        `${keyOf(p)}: add a row to \`table\` in test/project-isolation-matrix.e2e.test.ts ` +
        "(which of project 1's objects it names and the body to send, or why it is exempt)",
    );
    expect(missing).toEqual([]);
    expect(stale, 'rows of operations openapi.json no longer has').toEqual([]);
  });

  // One `it` per cell (here and below), so the report counts the cells that fail.
  for (const { path, query, caller } of listCells) {
    it(`when the ${caller} reads GET ${path}, then it sees none of project 1's objects`, async () => {
      const ids = await project1Ids();
      const mine = await asP1('GET', `${path}${query}`);
      expect(mine.status, mine.text).toBe(200);
      // The positive control: project 1's own list has its objects, so an empty answer means something.
      if ((mine.body as Json).object === 'list')
        expect((mine.body as Json).data.length).toBeGreaterThan(0);

      const theirs = await as(callers[caller], 'GET', `${path}${query}`);
      expect(theirs.status, theirs.text).toBe(200);
      expect(leakedIds(theirs.text, ids)).toEqual([]);
    });
  }

  it.each(callerNames)(
    "when the %s reads its balance, then none of project 1's money is in it",
    async (caller) => {
      const mine = await ok(asP1('GET', '/v1/balance'));
      expect(mine.available.some((entry: Json) => entry.amount > 0)).toBe(true);

      const theirs = await ok(as(callers[caller], 'GET', '/v1/balance'));
      const amounts = [...theirs.available, ...theirs.pending].map((entry: Json) => entry.amount);
      expect(amounts.every((amount) => amount === 0)).toBe(true);
    },
  );

  it.each(callerNames)(
    "when the %s asks for a payout, then project 1's available money cannot pay it",
    async (caller) => {
      const before = await snapshot(projectState);

      const payout = await as(callers[caller], 'POST', '/v1/payouts', {
        amount: 1_000,
        currency: 'inr',
        destination: { vpa: 'success@expe' },
      });

      expect(payout.status, payout.text).toBe(402);
      expect(payout.body.error.code).toBe('payout_exceeds_available');
      expect(await snapshot(projectState)).toEqual(before);
    },
  );

  it.each(callerNames)(
    "when the %s turns its fees off, then project 1's fee setting is unchanged",
    async (caller) => {
      const before = await ok(asP1('GET', '/v1/balance_settings'));

      const changed = await as(callers[caller], 'POST', '/v1/balance_settings', {
        fees_enabled: !before.fees_enabled,
      });

      expect(changed.status, changed.text).toBe(200);
      expect(await ok(asP1('GET', '/v1/balance_settings'))).toEqual(before);
    },
  );

  for (const row of idCells) {
    it(`when the ${row.caller} calls ${row.method} ${row.path} naming project 1's object in ${row.parameter}, then it is not found and nothing is written`, async () => {
      const entry = table[keyOf(row)] as Row;
      const body = entry.body?.(p1, p2);
      if (row.where === 'body') {
        expect(JSON.stringify(body), 'the row body names the object').toContain(p1[entry.names]);
      }
      const watched = [...readBacks[entry.names](p1), ...projectState];
      const before = await snapshot(watched);

      const response = await as(callers[row.caller], row.method, substitute(row), body);

      const refused = response.status === 404 && response.body?.error?.code === 'resource_missing';
      // A filter naming another project's object finds nothing in this one.
      const filteredEmpty =
        row.where === 'query' && response.status === 200 && response.body?.data?.length === 0;
      expect(refused || filteredEmpty, `${response.status} ${response.text.slice(0, 300)}`).toBe(
        true,
      );
      expect(await snapshot(watched)).toEqual(before);
    });
  }

  it.each(callerNames)(
    'when the %s sends an Idempotency-Key project 1 used, with the same body, then it is not a replay',
    async (caller) => {
      const idempotencyKey = `isolation-${caller.replaceAll(' ', '-')}`;
      const body = { amount: 1_500, currency: 'inr', description: 'Same order' };
      const first = await t.api('POST', '/v1/payments', {
        token: p1Key,
        body,
        headers: { 'idempotency-key': idempotencyKey },
      });
      expect(first.status, first.text).toBe(201);
      madeLater.add(first.body.id);

      const second = await t.api('POST', '/v1/payments', {
        token: callers[caller].token,
        body,
        headers: { ...callers[caller].headers, 'idempotency-key': idempotencyKey },
      });

      expect(second.status, second.text).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBeNull();
      expect(second.body.id).not.toBe(first.body.id);
      expect((await as(callers[caller], 'GET', `/v1/payments/${second.body.id}`)).status).toBe(200);
      expect((await asP1('GET', `/v1/payments/${second.body.id}`)).status).toBe(404);
    },
  );

  it.each(callerNames)(
    "when project 1 creates a payment, then project 1's WebSocket merchant channel gets it and the %s's does not",
    async (caller) => {
      const [mine, theirs] = await Promise.all([connect(), connect()]);
      try {
        mine.send({ type: 'subscribe', channel: 'merchant', token: p1Key });
        theirs.send({ type: 'subscribe', channel: 'merchant', ...socketCredential(caller) });
        await Promise.all([
          mine.next((m) => m.type === 'subscribed'),
          theirs.next((m) => m.type === 'subscribed' || m.type === 'error'),
        ]);
        expect(theirs.messages.filter((m) => m.type === 'error')).toEqual([]);

        const payment = await ok(
          asP1('POST', '/v1/payments', { amount: 700, currency: 'inr' }),
          201,
        );

        await mine.next((m) => m.type === 'event' && m.event.data.object.id === payment.id);
        // One pub/sub message fed both sockets; a pong sent after it is behind anything it sent.
        theirs.send({ type: 'ping' });
        await theirs.next((m) => m.type === 'pong');
        // Project 2's own events may still arrive (its payments of the cells before); none of project 1's.
        const ids = new Set([...(await project1Ids()), ...madeLater, payment.id]);
        const received = theirs.messages.filter((m) => m.type === 'event');
        expect(received.filter((m) => ids.has(m.event.data.object.id))).toEqual([]);
      } finally {
        mine.ws.close();
        theirs.ws.close();
      }
    },
  );

  it.each(callerNames)(
    "when the %s follows project 1's payment over the WebSocket, then it is not found",
    async (caller) => {
      const socket = await connect();
      try {
        const channel = `payment:${p1.payment}`;
        socket.send({ type: 'subscribe', channel, ...socketCredential(caller) });

        const answer = await socket.next((m) => m.type === 'subscribed' || m.type === 'error');

        expect(answer).toMatchObject({ type: 'error', code: 'not_found' });
      } finally {
        socket.ws.close();
      }
    },
  );

  it('when project 2 acts, then it acts in project 2 (the callers are what they claim)', async () => {
    for (const caller of callerNames) {
      const account = await ok(as(callers[caller], 'GET', '/v1/account'));
      expect(account).toMatchObject({ project_id: p2Project, mode: 'test' });
    }
    expect(await ok(asP1('GET', '/v1/account'))).toMatchObject({ project_id: p1Project });
  });
});

describe(`project isolation on the Stripe-compatible listener (issue 19): ${new Set(stripeCells.map((p) => `${p.method} ${p.path}`)).size} operations, ${stripeCells.length} object parameters × 1 caller (project 2's key); ${stripeReads.length} reads`, () => {
  it('when the Stripe operation table names an object in a parameter, then the isolation table has a row for it', () => {
    const missing = stripeUncovered.map(
      (p) =>
        `${stripeKeyOf(p)}: add a row to \`stripeTable\` in test/project-isolation-matrix.e2e.test.ts ` +
        "(which of project 1's objects it names and the parameters to send, or why it is exempt)",
    );
    expect(missing).toEqual([]);
    expect(stripeStale, 'rows of operations the listener no longer serves').toEqual([]);
  });

  for (const op of stripeReads) {
    it(`when project 2's key reads GET ${op.path} on the Stripe listener, then it sees none of project 1's objects`, async () => {
      const ids = await project1Ids();
      const params: Record<string, string> = 'limit' in op.params ? { limit: '100' } : {};
      const mine = await stripeApi(p1Key, 'GET', op.path, params);
      expect(mine.status, mine.text).toBe(200);
      if ((mine.body as Json).object === 'list')
        expect((mine.body as Json).data.length).toBeGreaterThan(0);

      const theirs = await stripeApi(callers['project 2 secret key'].token, 'GET', op.path, params);
      expect(theirs.status, theirs.text).toBe(200);
      expect(leakedIds(theirs.text, ids)).toEqual([]);
      if (op.path === '/v1/balance') {
        const amounts = [...theirs.body.available, ...theirs.body.pending].map(
          (entry: Json) => entry.amount,
        );
        expect(amounts.every((amount) => amount === 0)).toBe(true);
      }
    });
  }

  for (const row of stripeCells) {
    it(`when project 2's key calls ${row.method} ${row.path} on the Stripe listener naming project 1's object in ${row.parameter}, then it is not found and nothing is written`, async () => {
      const entry = stripeTable[stripeKeyOf(row)] as StripeRow;
      const id = entry.id?.(p1) ?? p1[entry.names];
      const params = {
        ...entry.params?.(p1, p2),
        ...(row.where === 'query' ? { [row.parameter]: id } : {}),
      };
      if (row.where === 'body') {
        expect(JSON.stringify(params), 'the row parameters name the object').toContain(id);
      }
      const watched = [...readBacks[entry.names](p1), ...projectState];
      const before = await snapshot(watched);

      const response = await stripeApi(
        callers['project 2 secret key'].token,
        row.method,
        row.path.replace(':id', entry.pathId?.(p2) ?? id),
        params,
      );

      const refused = response.status === 404 && response.body?.error?.code === 'resource_missing';
      const filteredEmpty =
        row.where === 'query' && response.status === 200 && response.body?.data?.length === 0;
      expect(refused || filteredEmpty, `${response.status} ${response.text.slice(0, 300)}`).toBe(
        true,
      );
      expect(await snapshot(watched)).toEqual(before);
    });
  }
});

// Last: on code that leaks, project 2's reset empties project 1.
describe('project isolation of the test clock and test-data reset (issue 19)', () => {
  it.each(callerNames)(
    "when the %s advances its test clock, then project 1's clock does not move",
    async (caller) => {
      const before = await ok(asP1('GET', '/v1/test_helpers/clock'));
      const own = await ok(as(callers[caller], 'GET', '/v1/test_helpers/clock'));

      const advanced = await ok(
        as(callers[caller], 'POST', '/v1/test_helpers/clock/advance', { seconds: 3_600 }),
      );

      expect(advanced.offset_seconds).toBe(own.offset_seconds + 3_600);
      const after = await ok(asP1('GET', '/v1/test_helpers/clock'));
      expect(after.offset_seconds).toBe(before.offset_seconds);
    },
  );

  it.each(callerNames)(
    "when the %s resets its test data, then project 1's payments, balance and clock are kept",
    async (caller) => {
      const watched = ['/v1/payments?limit=100', '/v1/balance'];
      const before = await snapshot(watched);
      const clock = await ok(asP1('GET', '/v1/test_helpers/clock'));
      // The positive control: there is something of project 1's to lose.
      expect((before['/v1/payments?limit=100'] as { body: Json }).body.data.length).toBeGreaterThan(
        0,
      );

      await ok(as(callers[caller], 'POST', '/v1/test_helpers/reset'));

      expect(await snapshot(watched)).toEqual(before);
      expect((await ok(asP1('GET', '/v1/test_helpers/clock'))).offset_seconds).toBe(
        clock.offset_seconds,
      );
      expect((await ok(as(callers[caller], 'GET', '/v1/payments'))).data).toEqual([]);
    },
  );
});

// ── The WebSocket client (the protocol of docs/websocket.md) ───────────────────────────────

const connect = () => connectRealtime(t.url);
