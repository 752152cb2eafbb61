import {
  disputeEvidenceFileFields,
  disputeEvidenceTextFieldNames,
  disputeEvidenceTextFields,
} from '@expe/contracts/stripe-vocabulary';
import { StripeError } from './errors.js';
import { p, parseParams, type ParamSpecs, type ParsedParams, type Support } from './params.js';
import { stripeWebhookEventTypes } from './events.js';

/**
 * Every Stripe operation Expe's Stripe-compatible endpoint knows, with its parameters: the
 * listener validates requests with these specs, and docs/stripe-compatibility.md is generated
 * from them (`npm run compat-doc -w @expe/stripe-compat`; a test fails when it drifts).
 */
export interface StripeOperation {
  /** Stripe's resource name, as in its API reference. */
  resource: string;
  /** `create`, `retrieve`, `update`, `list`, `confirm`, … */
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Express path pattern under the listener. */
  path: string;
  support: Support;
  note?: string;
  params: ParamSpecs;
  /** What `expand[]` may name (lists: `data.` + these). */
  expand?: string[];
}

const intentExpand = ['latest_charge', 'payment_method', 'customer'];
const refundExpand = ['payment_intent', 'charge'];
const sessionExpand = ['payment_intent', 'line_items'];
/** A Checkout Session's `expand`, which names the session's own expansions. */
const sessionExpandParam = p.list({ kind: 'string' }, 'partial', sessionExpand.join(', '));

const expand = p.list({ kind: 'string' }, 'partial', 'the expansions listed per resource');
const limit = p.integer('supported', '1–100', 1);
const cursors = {
  limit,
  starting_after: p.string(),
  ending_before: p.string(),
};
const listParams = (extra: ParamSpecs = {}): ParamSpecs => ({ ...cursors, expand, ...extra });

const currency = p.string('partial', 'inr, usd, eur, gbp');
const cardData = p.hash(
  {
    number: p.required(p.string('supported', 'the sandbox numbers of docs/sandbox-data.md')),
    exp_month: p.required(p.integer()),
    exp_year: p.required(p.integer()),
    cvc: p.string(),
  },
  'partial',
  'raw test card numbers only',
);
const paymentMethodData = p.hash(
  {
    type: p.required(p.enum(['card'])),
    card: cardData,
    billing_details: p.not(),
    metadata: p.not(),
  },
  'partial',
  'type card with a sandbox card number',
);
const billingDetails = p.hash({
  address: p.hash({
    city: p.string(),
    country: p.string(),
    line1: p.string(),
    line2: p.string(),
    postal_code: p.string(),
    state: p.string(),
  }),
  email: p.string(),
  name: p.string(),
  phone: p.string(),
});
const paymentMethod = p.string(
  'partial',
  'PaymentMethods (pm_…), test PaymentMethods (pm_card_visa, pm_card_chargeDeclined, …) and tokens (tok_visa, …)',
);

const paymentIntentCreate: ParamSpecs = {
  amount: p.required(p.integer('supported', undefined, 1)),
  currency: p.required(currency),
  confirm: p.boolean(),
  payment_method: paymentMethod,
  payment_method_data: paymentMethodData,
  payment_method_types: p.list(
    { kind: 'enum', values: ['card'] },
    'partial',
    'card only (UPI and wallet payments are made on the hosted checkout)',
  ),
  automatic_payment_methods: p.hash(
    { enabled: p.required(p.boolean()), allow_redirects: p.enum(['always', 'never']) },
    'partial',
    'accepted; cards are the method',
  ),
  capture_method: p.enum(
    ['automatic', 'automatic_async', 'manual'],
    'supported',
    'manual: confirm authorizes and holds the amount (requires_capture) for 7 days',
  ),
  confirmation_method: p.enum(
    ['automatic', 'manual'],
    'partial',
    'accepted, reported as automatic',
  ),
  description: p.string('supported', undefined, 500),
  metadata: p.metadata(),
  receipt_email: p.string('supported', 'stored as the payment’s customer_email'),
  return_url: p.string('supported', 'used by the hosted checkout after paying'),
  use_stripe_sdk: p.boolean('partial', 'accepted, no effect'),
  expand,
  customer: p.string('supported', 'a cus_ of Customers'),
  setup_future_usage: p.enum(
    ['on_session', 'off_session'],
    'supported',
    'with customer: the card is saved to the customer after the payment succeeds',
  ),
  off_session: p.boolean('supported', 'with confirm and a saved card'),
  error_on_requires_action: p.not(),
  statement_descriptor: p.not(),
  statement_descriptor_suffix: p.not(),
  shipping: p.not(),
  payment_method_options: p.not(),
  payment_method_configuration: p.not(),
  mandate_data: p.not(),
  application_fee_amount: p.not('Connect'),
  on_behalf_of: p.not('Connect'),
  transfer_data: p.not('Connect'),
  transfer_group: p.not('Connect'),
  radar_options: p.not(),
};

const paymentIntentConfirm: ParamSpecs = {
  payment_method: paymentMethod,
  payment_method_data: paymentMethodData,
  return_url: p.string('partial', 'accepted; the return_url given at creation is the one kept'),
  receipt_email: p.not('set it at creation'),
  use_stripe_sdk: p.boolean('partial', 'accepted, no effect'),
  expand,
  capture_method: p.not(),
  error_on_requires_action: p.not(),
  mandate_data: p.not(),
  off_session: p.boolean(
    'supported',
    'the customer is away: a card that needs 3-D Secure fails with authentication_required',
  ),
  payment_method_options: p.not(),
  payment_method_types: p.not(),
  setup_future_usage: p.not('saved cards are not served yet'),
  shipping: p.not(),
  radar_options: p.not(),
};

/**
 * A Stripe operation of a served resource that Expe does not serve: listed so that its path is
 * answered "Unrecognized request URL" (404) instead of being taken for an id (`/v1/charges/search`
 * is no charge), and so the table says what is missing.
 */
function unserved(
  resource: string,
  name: string,
  method: StripeOperation['method'],
  path: string,
  note?: string,
): StripeOperation {
  return { resource, name, method, path, support: 'not', ...(note ? { note } : {}), params: {} };
}

export const stripeOperations: StripeOperation[] = [
  // PaymentIntents
  {
    resource: 'PaymentIntent',
    name: 'create',
    expand: intentExpand,
    method: 'POST',
    path: '/v1/payment_intents',
    support: 'partial',
    note: 'pi_…, the Expe payment pay_… with the same suffix',
    params: paymentIntentCreate,
  },
  {
    resource: 'PaymentIntent',
    name: 'retrieve',
    expand: intentExpand,
    method: 'GET',
    path: '/v1/payment_intents/:id',
    support: 'supported',
    params: { client_secret: p.string('partial', 'accepted; the secret key decides'), expand },
  },
  {
    resource: 'PaymentIntent',
    name: 'update',
    expand: intentExpand,
    method: 'POST',
    path: '/v1/payment_intents/:id',
    support: 'partial',
    note: 'the PaymentMethod to confirm with, description, metadata and receipt_email',
    params: {
      payment_method: paymentMethod,
      payment_method_data: paymentMethodData,
      expand,
      description: p.string('supported', 'in any status; "" clears it', 500),
      metadata: p.metadata('supported', 'merged key by key; a key set to "" is removed'),
      receipt_email: p.string('supported', 'the payment’s customer_email; "" clears it'),
      amount: p.not('Expe payments keep their amount'),
      currency: p.not('Expe payments keep their currency'),
      customer: p.not(),
      setup_future_usage: p.not(),
      capture_method: p.not(),
      payment_method_types: p.not(),
      shipping: p.not(),
      statement_descriptor: p.not(),
    },
  },
  {
    resource: 'PaymentIntent',
    name: 'confirm',
    expand: intentExpand,
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    support: 'partial',
    note: 'server-side confirmation with a test PaymentMethod or a sandbox card number; 3-D Secure cards answer requires_action with next_action.redirect_to_url (Expe’s hosted challenge page)',
    params: paymentIntentConfirm,
  },
  {
    resource: 'PaymentIntent',
    name: 'cancel',
    expand: intentExpand,
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    support: 'partial',
    note: 'cancellation_reason is reported as requested_by_customer',
    params: {
      cancellation_reason: p.enum(
        ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'],
        'partial',
        'accepted, not stored',
      ),
      expand,
    },
  },
  {
    resource: 'PaymentIntent',
    name: 'capture',
    expand: intentExpand,
    method: 'POST',
    path: '/v1/payment_intents/:id/capture',
    support: 'supported',
    params: {
      amount_to_capture: p.integer('supported', 'up to amount_capturable; the rest is released', 1),
      expand,
      application_fee_amount: p.not('Connect'),
      final_capture: p.not('one capture per PaymentIntent'),
      metadata: p.not(),
      statement_descriptor: p.not(),
      statement_descriptor_suffix: p.not(),
      transfer_data: p.not('Connect'),
    },
  },
  {
    resource: 'PaymentIntent',
    name: 'list',
    expand: intentExpand.map((field) => `data.${field}`),
    method: 'GET',
    path: '/v1/payment_intents',
    support: 'supported',
    params: listParams({
      created: p.range(),
      customer: p.string('supported', 'a cus_ of Customers: its PaymentIntents'),
    }),
  },
  {
    resource: 'PaymentIntent',
    name: 'search',
    method: 'GET',
    path: '/v1/payment_intents/search',
    support: 'not',
    params: {},
  },
  unserved(
    'PaymentIntent',
    'incrementAuthorization',
    'POST',
    '/v1/payment_intents/:id/increment_authorization',
  ),
  unserved(
    'PaymentIntent',
    'applyCustomerBalance',
    'POST',
    '/v1/payment_intents/:id/apply_customer_balance',
  ),
  unserved(
    'PaymentIntent',
    'verifyMicrodeposits',
    'POST',
    '/v1/payment_intents/:id/verify_microdeposits',
  ),
  // Charges: Expe's own, one per attempt to pay (failed ones included), the same ch_ id
  {
    resource: 'Charge',
    name: 'retrieve',
    expand: ['payment_intent'],
    method: 'GET',
    path: '/v1/charges/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Charge',
    name: 'list',
    expand: ['data.payment_intent'],
    method: 'GET',
    path: '/v1/charges',
    support: 'supported',
    note: 'every attempt, failed ones included, newest first',
    params: listParams({
      payment_intent: p.string('supported', 'a pi_: its attempts'),
      customer: p.string('supported', 'a cus_ of Customers: its charges'),
      created: p.not(),
      transfer_group: p.not('Connect'),
    }),
  },
  {
    resource: 'Charge',
    name: 'update',
    expand: ['payment_intent'],
    method: 'POST',
    path: '/v1/charges/:id',
    support: 'partial',
    note: 'description, metadata and receipt_email',
    params: {
      description: p.string('supported', '"" clears it', 500),
      metadata: p.metadata('supported', 'merged key by key; a key set to "" is removed'),
      receipt_email: p.string('supported', '"" clears it'),
      expand,
      customer: p.not(),
      fraud_details: p.not('no Radar'),
      shipping: p.not(),
      transfer_group: p.not('Connect'),
    },
  },
  {
    resource: 'Charge',
    name: 'capture',
    expand: ['payment_intent'],
    method: 'POST',
    path: '/v1/charges/:id/capture',
    support: 'supported',
    note: 'captures the PaymentIntent (capture_method manual) the charge belongs to',
    params: {
      amount: p.integer('supported', 'up to what the charge holds; the rest is released', 1),
      expand,
      application_fee: p.not('Connect'),
      application_fee_amount: p.not('Connect'),
      receipt_email: p.not(),
      statement_descriptor: p.not(),
      statement_descriptor_suffix: p.not(),
      transfer_data: p.not('Connect'),
      transfer_group: p.not('Connect'),
    },
  },
  {
    resource: 'Charge',
    name: 'create',
    method: 'POST',
    path: '/v1/charges',
    support: 'not',
    note: 'use PaymentIntents',
    params: {},
  },
  unserved('Charge', 'search', 'GET', '/v1/charges/search'),
  // Refunds
  {
    resource: 'Refund',
    name: 'create',
    expand: refundExpand,
    method: 'POST',
    path: '/v1/refunds',
    support: 'supported',
    params: {
      payment_intent: p.string(),
      charge: p.string(),
      amount: p.integer('supported', undefined, 1),
      reason: p.enum(['duplicate', 'fraudulent', 'requested_by_customer']),
      metadata: p.metadata(),
      expand,
      instructions_email: p.not(),
      origin: p.not(),
      refund_application_fee: p.not('Connect'),
      reverse_transfer: p.not('Connect'),
      customer: p.not(),
    },
  },
  {
    resource: 'Refund',
    name: 'retrieve',
    expand: refundExpand,
    method: 'GET',
    path: '/v1/refunds/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Refund',
    name: 'list',
    expand: refundExpand.map((field) => `data.${field}`),
    method: 'GET',
    path: '/v1/refunds',
    support: 'supported',
    params: listParams({
      payment_intent: p.string(),
      charge: p.string(),
      created: p.not(),
    }),
  },
  {
    resource: 'Refund',
    name: 'update',
    expand: refundExpand,
    method: 'POST',
    path: '/v1/refunds/:id',
    support: 'supported',
    params: { metadata: p.metadata(), expand },
  },
  {
    resource: 'Refund',
    name: 'cancel',
    method: 'POST',
    path: '/v1/refunds/:id/cancel',
    support: 'not',
    note: 'Expe refunds succeed at once',
    params: {},
  },
  // Balance
  {
    resource: 'Balance',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/balance',
    support: 'partial',
    note: 'available per currency; pending shows 0 until balance transactions are served',
    params: { expand },
  },
  // Events
  {
    resource: 'Event',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/events/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Event',
    name: 'list',
    method: 'GET',
    path: '/v1/events',
    support: 'supported',
    params: listParams({
      type: p.string('partial', 'one Stripe type that Expe emits, or a prefix with *'),
      types: p.list(
        { kind: 'string' },
        'partial',
        'up to 20 Stripe types that Expe emits, or prefixes with *; not with type',
      ),
      created: p.range(),
      delivery_success: p.not(),
    }),
  },
  // WebhookEndpoints
  {
    resource: 'WebhookEndpoint',
    name: 'create',
    method: 'POST',
    path: '/v1/webhook_endpoints',
    support: 'supported',
    note: 'deliveries in Stripe’s shape with Stripe-Signature',
    params: {
      url: p.required(p.string()),
      enabled_events: p.required(
        p.list(
          { kind: 'enum', values: ['*', ...stripeWebhookEventTypes] },
          'supported',
          'every event type of the resources served here',
        ),
      ),
      description: p.string('supported', undefined, 500),
      api_version: p.string('partial', 'accepted; events follow one API version'),
      metadata: p.not(),
      connect: p.not('Connect'),
    },
  },
  {
    resource: 'WebhookEndpoint',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/webhook_endpoints/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'WebhookEndpoint',
    name: 'update',
    method: 'POST',
    path: '/v1/webhook_endpoints/:id',
    support: 'supported',
    params: {
      url: p.string(),
      enabled_events: p.list(
        { kind: 'enum', values: ['*', ...stripeWebhookEventTypes] },
        'supported',
        'every event type of the resources served here',
      ),
      description: p.string('supported', undefined, 500),
      disabled: p.boolean(),
      metadata: p.not(),
    },
  },
  {
    resource: 'WebhookEndpoint',
    name: 'delete',
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    support: 'supported',
    params: {},
  },
  {
    resource: 'WebhookEndpoint',
    name: 'list',
    method: 'GET',
    path: '/v1/webhook_endpoints',
    support: 'supported',
    params: listParams(),
  },
];

stripeOperations.push(
  {
    resource: 'Checkout Session',
    name: 'create',
    method: 'POST',
    path: '/v1/checkout/sessions',
    support: 'partial',
    note: 'mode payment on Expe’s hosted checkout (url); paying it completes the session (checkout.session.completed)',
    expand: sessionExpand,
    params: {
      mode: p.required(p.enum(['payment'], 'partial', 'payment only')),
      line_items: p.required(
        p.list(
          {
            kind: 'hash',
            fields: {
              price_data: p.required(
                p.hash({
                  currency: p.required(currency),
                  unit_amount: p.required(p.integer('supported', undefined, 0)),
                  product_data: p.required(
                    p.hash({
                      name: p.required(p.string('supported', undefined, 250)),
                      description: p.string('supported', undefined, 500),
                      images: p.not(),
                      metadata: p.not(),
                    }),
                  ),
                  tax_behavior: p.not(),
                  recurring: p.not('subscriptions'),
                }),
              ),
              quantity: p.required(p.integer('supported', undefined, 1)),
              price: p.not('Prices are not modelled; use price_data'),
              adjustable_quantity: p.not(),
              tax_rates: p.not(),
            },
          },
          'partial',
          'price_data only, up to 100, one currency; listed by listLineItems',
        ),
      ),
      success_url: p.string('supported', '{CHECKOUT_SESSION_ID} is replaced by the session id'),
      cancel_url: p.string(),
      client_reference_id: p.string('supported', undefined, 200),
      customer: p.string('supported', 'a cus_ of Customers'),
      customer_email: p.string(),
      metadata: p.metadata(),
      expires_at: p.integer('supported', '30 minutes to 24 hours from now; default 24 hours'),
      payment_method_types: p.list(
        { kind: 'enum', values: ['card', 'upi'] },
        'partial',
        'the hosted checkout offers card, UPI and wallet',
      ),
      expand: sessionExpandParam,
      payment_intent_data: p.not(),
      allow_promotion_codes: p.not(),
      discounts: p.not(),
      automatic_tax: p.not(),
      billing_address_collection: p.not(),
      shipping_address_collection: p.not(),
      locale: p.not(),
      ui_mode: p.not('hosted only'),
      return_url: p.not('ui_mode embedded is not served'),
      subscription_data: p.not('subscriptions'),
    },
  },
  {
    resource: 'Checkout Session',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/checkout/sessions/:id',
    support: 'supported',
    expand: sessionExpand,
    params: { expand: sessionExpandParam },
  },
  {
    resource: 'Checkout Session',
    name: 'expire',
    method: 'POST',
    path: '/v1/checkout/sessions/:id/expire',
    support: 'supported',
    note: 'cancels its PaymentIntent; checkout.session.expired',
    expand: sessionExpand,
    params: { expand: sessionExpandParam },
  },
  {
    resource: 'Checkout Session',
    name: 'list',
    method: 'GET',
    path: '/v1/checkout/sessions',
    support: 'supported',
    expand: ['data.payment_intent'],
    params: listParams({
      payment_intent: p.string(),
      customer: p.string(),
      status: p.enum(['open', 'complete', 'expired']),
      created: p.not(),
      customer_details: p.not(),
      payment_link: p.not('payment links make no sessions'),
      subscription: p.not('subscriptions'),
    }),
  },
  unserved('Checkout Session', 'update', 'POST', '/v1/checkout/sessions/:id'),
  {
    resource: 'Checkout Session',
    name: 'listLineItems',
    method: 'GET',
    path: '/v1/checkout/sessions/:id/line_items',
    support: 'supported',
    note: 'price is null: Prices are not modelled (description, quantity, amounts and currency are set)',
    params: { ...cursors, expand: p.list({ kind: 'string' }, 'not', 'nothing to expand') },
  },
);

// Money out: balance transactions, payouts, disputes.
stripeOperations.push(
  {
    resource: 'BalanceTransaction',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/balance_transactions/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'BalanceTransaction',
    name: 'list',
    method: 'GET',
    path: '/v1/balance_transactions',
    support: 'supported',
    note: 'a payment is type charge (source ch_…), a dispute type adjustment',
    params: listParams({
      type: p.string(
        'partial',
        'charge, refund, adjustment, payout, payout_failure, payout_cancel',
      ),
      source: p.string(),
      created: p.not(),
      currency: p.not(),
      payout: p.not(),
    }),
  },
  {
    resource: 'Payout',
    name: 'create',
    method: 'POST',
    path: '/v1/payouts',
    support: 'partial',
    note: 'to a UPI address: success@expe is paid at once, failure@expe fails (money returns), pending@expe arrives a day later',
    params: {
      amount: p.required(p.integer('supported', undefined, 1)),
      currency: p.required(currency),
      destination: p.string(
        'partial',
        'a UPI address (VPA), not a bank account id; in test mode success@expe when left out',
      ),
      metadata: p.metadata(),
      expand,
      description: p.not(),
      method: p.not('standard only'),
      source_type: p.not(),
      statement_descriptor: p.not(),
    },
  },
  {
    resource: 'Payout',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/payouts/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Payout',
    name: 'list',
    method: 'GET',
    path: '/v1/payouts',
    support: 'supported',
    params: listParams({
      status: p.enum(
        ['pending', 'in_transit', 'paid', 'failed', 'canceled'],
        'supported',
        'Expe payouts are never in_transit (pending until they arrive)',
      ),
      arrival_date: p.not(),
      created: p.not(),
      destination: p.not(),
    }),
  },
  {
    resource: 'Payout',
    name: 'update',
    method: 'POST',
    path: '/v1/payouts/:id',
    support: 'supported',
    params: {
      metadata: p.metadata('supported', 'merged key by key; a key set to "" is removed'),
      expand,
    },
  },
  {
    resource: 'Payout',
    name: 'cancel',
    method: 'POST',
    path: '/v1/payouts/:id/cancel',
    support: 'supported',
    note: 'a pending payout (pending@expe): the money returns (payout_cancel), payout.canceled; else 400 payout_unexpected_state',
    params: { expand },
  },
  {
    resource: 'Payout',
    name: 'reverse',
    method: 'POST',
    path: '/v1/payouts/:id/reverse',
    support: 'supported',
    note: 'a paid test-mode payout: a new payout (original_payout) brings the money back; else 400 payout_unexpected_state',
    params: {
      metadata: p.metadata(),
      expand,
    },
  },
  {
    resource: 'Dispute',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/disputes/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Dispute',
    name: 'update',
    method: 'POST',
    path: '/v1/disputes/:id',
    support: 'partial',
    note: 'text evidence, merged into what was given; evidence[uncategorized_text]: winning_evidence wins, losing_evidence loses',
    params: {
      evidence: p.hash(
        {
          ...Object.fromEntries(
            disputeEvidenceTextFieldNames.map((field) => [
              field,
              p.string('supported', undefined, disputeEvidenceTextFields[field]),
            ]),
          ),
          ...Object.fromEntries(
            disputeEvidenceFileFields.map((field) => [
              field,
              p.not('a file: Expe takes text evidence only'),
            ]),
          ),
          enhanced_evidence: p.not(),
        },
        'partial',
        'the text fields; files are not taken',
      ),
      submit: p.boolean('partial', 'evidence is submitted as it is given'),
      expand,
      metadata: p.not(),
    },
  },
  {
    resource: 'Dispute',
    name: 'close',
    method: 'POST',
    path: '/v1/disputes/:id/close',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Dispute',
    name: 'list',
    method: 'GET',
    path: '/v1/disputes',
    support: 'supported',
    params: listParams({ payment_intent: p.string(), charge: p.string(), created: p.not() }),
  },
);

// Customers and their saved cards.
const customerParams = (
  support: 'supported' | 'partial',
  { isUpdate = false } = {},
): ParamSpecs => ({
  email: p.string(support, undefined, 254),
  name: p.string(support, undefined, 200),
  description: p.string(support, undefined, 500),
  phone: p.string(support),
  metadata: p.metadata(),
  expand,
  address: p.not(),
  shipping: p.hash(
    {
      name: p.string(),
      phone: p.string(),
      address: p.hash({
        line1: p.string(),
        line2: p.string(),
        city: p.string(),
        state: p.string(),
        postal_code: p.string(),
        country: p.string(),
      }),
    },
    support,
    isUpdate ? 'replaces the whole address; shipping= (empty) removes it' : undefined,
  ),
  payment_method: p.not('attach the PaymentMethod to the customer instead'),
  invoice_settings: p.not(),
  balance: p.not(),
  preferred_locales: p.not(),
  tax_exempt: p.not(),
  tax_id_data: p.not(),
  test_clock: p.not('Expe has one test clock per project'),
});
stripeOperations.push(
  {
    resource: 'Customer',
    name: 'create',
    method: 'POST',
    path: '/v1/customers',
    support: 'supported',
    params: customerParams('supported'),
  },
  {
    resource: 'Customer',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/customers/:id',
    support: 'supported',
    params: { expand },
  },
  {
    resource: 'Customer',
    name: 'update',
    method: 'POST',
    path: '/v1/customers/:id',
    support: 'supported',
    note: 'an empty value clears email, name, description, phone or shipping',
    params: customerParams('supported', { isUpdate: true }),
  },
  {
    resource: 'Customer',
    name: 'delete',
    method: 'DELETE',
    path: '/v1/customers/:id',
    support: 'supported',
    note: 'its saved cards are detached',
    params: {},
  },
  {
    resource: 'Customer',
    name: 'list',
    method: 'GET',
    path: '/v1/customers',
    support: 'supported',
    params: listParams({ email: p.string(), created: p.not(), test_clock: p.not() }),
  },
  {
    resource: 'Customer',
    name: 'listPaymentMethods',
    method: 'GET',
    path: '/v1/customers/:id/payment_methods',
    support: 'supported',
    params: listParams({
      type: p.enum(['card'], 'partial', 'card only'),
      allow_redisplay: p.not(),
    }),
  },
  unserved(
    'Customer',
    'retrievePaymentMethod',
    'GET',
    '/v1/customers/:id/payment_methods/:payment_method',
    'retrieve the PaymentMethod',
  ),
  {
    resource: 'Customer',
    name: 'search',
    method: 'GET',
    path: '/v1/customers/search',
    support: 'not',
    params: {},
  },
  {
    resource: 'PaymentMethod',
    name: 'create',
    method: 'POST',
    path: '/v1/payment_methods',
    support: 'partial',
    note: 'type card, from a test token (card[token]) or a sandbox card number; test mode only',
    params: {
      type: p.required(p.enum(['card'], 'partial', 'card only')),
      card: p.hash(
        {
          token: p.string('supported', 'tok_visa, pm_card_visa, tok_chargeDeclined, …'),
          number: p.string('supported', 'the sandbox numbers of docs/sandbox-data.md'),
          exp_month: p.integer(),
          exp_year: p.integer(),
          cvc: p.string(),
        },
        'partial',
        'a test token or a sandbox card number',
      ),
      billing_details: billingDetails,
      metadata: p.metadata(),
      expand,
      allow_redisplay: p.not(),
      customer: p.not('Connect: attach it to a customer instead'),
      payment_method: p.not('Connect'),
      radar_options: p.not(),
    },
  },
  {
    resource: 'PaymentMethod',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/payment_methods/:id',
    support: 'supported',
    note: 'PaymentMethods (pm_…) and the test PaymentMethods (pm_card_visa, …)',
    params: { expand },
  },
  {
    resource: 'PaymentMethod',
    name: 'update',
    method: 'POST',
    path: '/v1/payment_methods/:id',
    support: 'supported',
    note: 'billing_details merge field by field; metadata merges by Stripe’s rules',
    params: {
      billing_details: billingDetails,
      metadata: p.metadata(),
      card: p.hash({ exp_month: p.integer(), exp_year: p.integer() }),
      expand,
      allow_redisplay: p.not(),
    },
  },
  {
    resource: 'PaymentMethod',
    name: 'list',
    method: 'GET',
    path: '/v1/payment_methods',
    support: 'supported',
    note: 'the account’s PaymentMethods, or one customer’s',
    params: listParams({
      customer: p.string(),
      type: p.enum(['card'], 'partial', 'card only'),
    }),
  },
  {
    resource: 'PaymentMethod',
    name: 'attach',
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    support: 'supported',
    note: 'a test PaymentMethod (pm_card_visa) attaches as a new pm_…; a declining card is a card_error; a detached one cannot be attached again',
    params: { customer: p.required(p.string()), expand },
  },
  {
    resource: 'PaymentMethod',
    name: 'detach',
    method: 'POST',
    path: '/v1/payment_methods/:id/detach',
    support: 'supported',
    params: { expand },
  },
);

// SetupIntents: a card saved on a customer without a payment.
const setupIntentPaymentMethod = p.string(
  'supported',
  'a PaymentMethod (pm_…) or a test PaymentMethod (pm_card_visa, …), which becomes a new pm_…',
);
stripeOperations.push(
  {
    resource: 'SetupIntent',
    name: 'create',
    method: 'POST',
    path: '/v1/setup_intents',
    support: 'supported',
    note: 'confirm=true confirms at once; a 3-D Secure card answers requires_action with next_action.redirect_to_url (Expe’s hosted challenge)',
    params: {
      customer: p.string('supported', 'a cus_ of Customers'),
      payment_method: setupIntentPaymentMethod,
      confirm: p.boolean(),
      usage: p.enum(['off_session', 'on_session']),
      description: p.string('supported', undefined, 500),
      metadata: p.metadata(),
      payment_method_types: p.list({ kind: 'enum', values: ['card'] }, 'partial', 'card only'),
      automatic_payment_methods: p.hash(
        { enabled: p.required(p.boolean()), allow_redirects: p.enum(['always', 'never']) },
        'partial',
        'accepted; cards are the method',
      ),
      return_url: p.string('supported', 'kept: next_action.redirect_to_url.return_url'),
      use_stripe_sdk: p.boolean('partial', 'accepted, no effect'),
      expand,
      payment_method_data: p.not('create the PaymentMethod first'),
      payment_method_options: p.not(),
      payment_method_configuration: p.not(),
      mandate_data: p.not(),
      single_use: p.not(),
      flow_directions: p.not(),
      attach_to_self: p.not(),
      on_behalf_of: p.not('Connect'),
    },
  },
  {
    resource: 'SetupIntent',
    name: 'retrieve',
    method: 'GET',
    path: '/v1/setup_intents/:id',
    support: 'supported',
    params: { expand, client_secret: p.string('partial', 'accepted with the secret key') },
  },
  {
    resource: 'SetupIntent',
    name: 'update',
    method: 'POST',
    path: '/v1/setup_intents/:id',
    support: 'supported',
    note: 'customer and payment_method until it succeeds; metadata merges by Stripe’s rules',
    params: {
      customer: p.string('supported', 'a cus_ of Customers'),
      payment_method: setupIntentPaymentMethod,
      description: p.string('supported', undefined, 500),
      metadata: p.metadata(),
      expand,
      payment_method_types: p.list({ kind: 'enum', values: ['card'] }, 'partial', 'card only'),
      payment_method_data: p.not('create the PaymentMethod first'),
      payment_method_options: p.not(),
      flow_directions: p.not(),
      attach_to_self: p.not(),
    },
  },
  {
    resource: 'SetupIntent',
    name: 'confirm',
    method: 'POST',
    path: '/v1/setup_intents/:id/confirm',
    support: 'supported',
    note: 'succeeded attaches the PaymentMethod to the customer; a declining card is a card_error carrying the SetupIntent (last_setup_error)',
    params: {
      payment_method: setupIntentPaymentMethod,
      return_url: p.string('supported', 'replaces the one given at creation'),
      use_stripe_sdk: p.boolean('partial', 'accepted, no effect'),
      expand,
      payment_method_data: p.not('create the PaymentMethod first'),
      payment_method_options: p.not(),
      mandate_data: p.not(),
    },
  },
  {
    resource: 'SetupIntent',
    name: 'cancel',
    method: 'POST',
    path: '/v1/setup_intents/:id/cancel',
    support: 'supported',
    params: {
      cancellation_reason: p.enum(['abandoned', 'requested_by_customer', 'duplicate']),
      expand,
    },
  },
  {
    resource: 'SetupIntent',
    name: 'list',
    method: 'GET',
    path: '/v1/setup_intents',
    support: 'supported',
    params: listParams({
      customer: p.string(),
      payment_method: p.string(),
      created: p.not(),
      attach_to_self: p.not(),
    }),
  },
  unserved(
    'SetupIntent',
    'verifyMicrodeposits',
    'POST',
    '/v1/setup_intents/:id/verify_microdeposits',
  ),
);

/**
 * Stripe resources the listener does not serve: a request to them is a 404 that names what is
 * served. They stay in the table so it says what a Stripe user would miss.
 */
export const unservedResources: { resource: string; path: string; note?: string }[] = [
  { resource: 'Product', path: '/v1/products' },
  { resource: 'Price', path: '/v1/prices' },
  { resource: 'Invoice', path: '/v1/invoices' },
  { resource: 'Subscription', path: '/v1/subscriptions' },
  { resource: 'Token', path: '/v1/tokens', note: 'use the test tokens (tok_visa, …)' },
  { resource: 'Source', path: '/v1/sources' },
  { resource: 'Account (Connect)', path: '/v1/accounts' },
  { resource: 'Transfer (Connect)', path: '/v1/transfers' },
];

/** The top-level paths the listener serves, for the 404 of an unserved resource. */
export function servedResourcePaths(): string[] {
  return [
    ...new Set(
      stripeOperations
        .filter((operation) => operation.support !== 'not')
        .map((operation) => operation.path.split('/').slice(0, 3).join('/')),
    ),
  ];
}

/** Checks a request's params against the operation, `expand[]` included, before anything runs. */
export function parseOperationParams(operation: StripeOperation, raw: unknown): ParsedParams {
  const params = parseParams(operation.params, raw);
  const expansions = (params.expand as string[] | undefined) ?? [];
  for (const [index, field] of expansions.entries()) {
    if (!(operation.expand ?? []).includes(field)) {
      const allowed = operation.expand?.length
        ? ` Expe expands: ${operation.expand.join(', ')}.`
        : '';
      throw StripeError.invalid(
        'parameter_invalid',
        `This property cannot be expanded (${field}).${allowed}`,
        `expand[${index}]`,
      );
    }
  }
  return params;
}
