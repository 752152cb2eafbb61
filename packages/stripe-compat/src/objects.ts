/**
 * Expe's API objects in Stripe's shape. One state: a PaymentIntent is an Expe payment (built here
 * with Expe's ids; ids.ts gives them Stripe's prefixes on the way out), a Charge is an Expe charge
 * (one per attempt, the same `ch_` id on both ports), a Refund is an Expe refund. Fields that
 * later Expe versions add (capture, 3-D Secure, customers) are read when present.
 */
import {
  disputeEvidenceFileFields,
  disputeEvidenceTextFieldNames,
  type DisputeEvidenceTextField,
} from '@expe/contracts/stripe-vocabulary';
import { stripeCardFailure } from './errors.js';

/** The fields of an Expe payment this mapping reads. */
export interface ExpePayment {
  id: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  status: string;
  method?: string | null;
  livemode: boolean;
  description?: string | null;
  metadata?: Record<string, string>;
  customer_email?: string | null;
  client_secret?: string;
  checkout_url?: string;
  return_url?: string | null;
  last_payment_error?: {
    type?: string;
    code?: string;
    message?: string;
    decline_code?: string;
  } | null;
  created: number;
  expires_at?: number;
  // §9 (manual capture, 3-D Secure, customers): present once the payments service has them.
  capture_method?: 'automatic' | 'manual';
  amount_capturable?: number;
  amount_received?: number;
  next_action?: unknown;
  customer?: string | null;
  payment_method?: string | null;
  setup_future_usage?: string | null;
  canceled_at?: number | null;
  /** The Expe charge of the latest attempt (`ch_…`, the same id on both ports). */
  latest_charge?: string | null;
}

/** An Expe charge: one attempt to pay a payment, failed ones included. */
export interface ExpeCharge {
  id: string;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  payment: string;
  customer: string | null;
  payment_method: string | null;
  payment_method_details: { type: string; card?: Record<string, unknown> };
  failure_code: string | null;
  failure_message: string | null;
  outcome: Record<string, unknown> | null;
  balance_transaction: string | null;
  billing_details: Record<string, unknown>;
  receipt_url: string | null;
  receipt_email: string | null;
  description: string | null;
  metadata: Record<string, string>;
  livemode: boolean;
  created: number;
}

export interface ExpeRefund {
  id: string;
  payment: string;
  charge?: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string | null;
  metadata?: Record<string, string>;
  livemode: boolean;
  created: number;
}

export interface ExpeEvent {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  data: { object: Record<string, unknown> };
}

export interface ExpeWebhookEndpoint {
  id: string;
  url: string;
  enabled_events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  livemode: boolean;
  secret?: string;
  created: number;
}

/** What the Stripe layer knows beyond Expe's payment (the PaymentMethod chosen before confirm). */
export interface PaymentIntentExtras {
  paymentMethod?: string | null;
  paymentMethodTypes?: string[];
}

function statusOf(payment: ExpePayment, extras: PaymentIntentExtras): string {
  switch (payment.status) {
    case 'requires_payment_method':
      // Stripe's intent waits for confirm once it has a PaymentMethod.
      return extras.paymentMethod && !payment.last_payment_error
        ? 'requires_confirmation'
        : 'requires_payment_method';
    case 'expired':
      return 'canceled';
    default:
      return payment.status;
  }
}

function isCaptured(payment: ExpePayment): boolean {
  return payment.status === 'succeeded';
}

export function toPaymentIntent(payment: ExpePayment, extras: PaymentIntentExtras = {}) {
  const status = statusOf(payment, extras);
  const amountReceived = payment.amount_received ?? (isCaptured(payment) ? payment.amount : 0);
  const error = payment.last_payment_error;
  const failure = error ? stripeCardFailure(error.code, error.decline_code) : undefined;
  // A card saved to a customer is the payment's own; a test PaymentMethod is what the Stripe
  // layer remembered.
  const paymentMethod = payment.payment_method ?? extras.paymentMethod ?? null;
  return {
    id: payment.id,
    object: 'payment_intent' as const,
    amount: payment.amount,
    amount_capturable: payment.amount_capturable ?? 0,
    amount_details: { tip: {} },
    amount_received: amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at:
      payment.canceled_at ?? (status === 'canceled' ? (payment.expires_at ?? null) : null),
    cancellation_reason:
      payment.status === 'expired'
        ? 'automatic'
        : payment.status === 'canceled'
          ? 'requested_by_customer'
          : null,
    capture_method: payment.capture_method ?? 'automatic',
    client_secret: payment.client_secret ?? null,
    confirmation_method: 'automatic',
    created: payment.created,
    currency: payment.currency,
    customer: payment.customer ?? null,
    description: payment.description ?? null,
    last_payment_error: error
      ? {
          type: error.type ?? 'card_error',
          code: failure?.code,
          ...(failure?.decline_code ? { decline_code: failure.decline_code } : {}),
          message: error.message,
          doc_url: failure?.code
            ? `https://docs.stripe.com/error-codes/${failure.code.replaceAll('_', '-')}`
            : undefined,
          payment_method: paymentMethod ? { id: paymentMethod, object: 'payment_method' } : null,
        }
      : null,
    latest_charge: payment.latest_charge ?? null,
    livemode: payment.livemode,
    metadata: payment.metadata ?? {},
    next_action: nextActionOf(payment),
    on_behalf_of: null,
    payment_method: paymentMethod,
    payment_method_options: {},
    payment_method_types: extras.paymentMethodTypes ?? ['card'],
    processing: null,
    receipt_email: payment.customer_email ?? null,
    review: null,
    setup_future_usage: payment.setup_future_usage ?? null,
    shipping: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
  };
}

export type StripePaymentIntent = ReturnType<typeof toPaymentIntent>;

/** Expe's 3-D Secure redirect, with the return_url Stripe's redirect_to_url carries too. */
function nextActionOf(payment: ExpePayment): unknown {
  const action = payment.next_action as
    { type?: string; redirect_to_url?: { url?: string } } | null | undefined;
  if (!action) return null;
  if (action.type === 'redirect_to_url' && action.redirect_to_url) {
    return {
      type: 'redirect_to_url',
      redirect_to_url: { url: action.redirect_to_url.url, return_url: payment.return_url ?? null },
    };
  }
  return action;
}

/**
 * An Expe charge as Stripe's Charge: the same object renamed (`payment` is its
 * `payment_intent`), with the fields Expe does not model at their empty values. `paymentMethod`
 * is the test PaymentMethod the Stripe layer confirmed with, when Expe's charge names none.
 */
export function toCharge(charge: ExpeCharge, extras: { paymentMethod?: string | null } = {}) {
  const error = charge.failure_code
    ? stripeCardFailure(charge.failure_code, (charge.outcome?.reason as string | null) ?? undefined)
    : undefined;
  return {
    id: charge.id,
    object: 'charge' as const,
    amount: charge.amount,
    amount_captured: charge.amount_captured,
    amount_refunded: charge.amount_refunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: charge.balance_transaction,
    billing_details: charge.billing_details,
    calculated_statement_descriptor: 'EXPE SANDBOX',
    captured: charge.captured,
    created: charge.created,
    currency: charge.currency,
    customer: charge.customer,
    description: charge.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: error?.code ?? charge.failure_code,
    failure_message: charge.failure_message,
    fraud_details: {},
    livemode: charge.livemode,
    metadata: charge.metadata,
    on_behalf_of: null,
    outcome: charge.outcome,
    paid: charge.paid,
    payment_intent: charge.payment,
    payment_method: charge.payment_method ?? extras.paymentMethod ?? null,
    payment_method_details: charge.payment_method_details,
    receipt_email: charge.receipt_email,
    receipt_number: null,
    receipt_url: charge.receipt_url,
    refunded: charge.refunded,
    review: null,
    shipping: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: charge.status,
    transfer_data: null,
    transfer_group: null,
  };
}

export function toRefund(refund: ExpeRefund) {
  return {
    id: refund.id,
    object: 'refund' as const,
    amount: refund.amount,
    balance_transaction: null,
    charge: refund.charge ?? null,
    created: refund.created,
    currency: refund.currency,
    metadata: refund.metadata ?? {},
    payment_intent: refund.payment,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}

export function toBalance(balance: {
  livemode: boolean;
  available: { amount: number; currency: string }[];
  pending?: { amount: number; currency: string }[];
}) {
  const sourceTypes = { card: 0 };
  const withSources = (items: { amount: number; currency: string }[]) =>
    items.map((item) => ({
      amount: item.amount,
      currency: item.currency,
      source_types: { ...sourceTypes, card: item.amount },
    }));
  return {
    object: 'balance' as const,
    available: withSources(balance.available),
    livemode: balance.livemode,
    pending: withSources(
      balance.pending ?? balance.available.map((item) => ({ amount: 0, currency: item.currency })),
    ),
  };
}

export function toWebhookEndpoint(
  endpoint: ExpeWebhookEndpoint,
  enabledEvents: string[],
  apiVersion: string | null,
) {
  return {
    id: endpoint.id,
    object: 'webhook_endpoint' as const,
    api_version: apiVersion,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: enabledEvents,
    livemode: endpoint.livemode,
    metadata: {},
    ...(endpoint.secret ? { secret: endpoint.secret } : {}),
    status: endpoint.status,
    url: endpoint.url,
  };
}

/** A Stripe list object. `url` is the list's path, as Stripe sends it. */
export function toList<T>(url: string, data: T[], hasMore: boolean) {
  return { object: 'list' as const, data, has_more: hasMore, url };
}

/** The fields of an Expe Checkout Session this mapping reads (its id is Stripe's: `cs_test_…`). */
export interface ExpeCheckoutSession {
  id: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer: string | null;
  customer_email: string | null;
  success_url: string | null;
  cancel_url: string | null;
  metadata: Record<string, string>;
  payment_intent: string;
  url: string | null;
  expires_at: number;
  livemode: boolean;
  created: number;
}

export interface ExpeCheckoutLineItem {
  id: string;
  description: string;
  currency: string;
  quantity: number;
  amount_subtotal: number;
  amount_total: number;
}

/** A Checkout Session in Stripe's shape: Expe's own record, renamed (its payment is the PaymentIntent). */
export function toCheckoutSession(session: ExpeCheckoutSession) {
  return {
    id: session.id,
    object: 'checkout.session' as const,
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: session.amount_subtotal,
    amount_total: session.amount_total,
    automatic_tax: { enabled: false, liability: null, status: null },
    billing_address_collection: null,
    cancel_url: session.cancel_url,
    client_reference_id: session.client_reference_id,
    client_secret: null,
    consent: null,
    created: session.created,
    currency: session.currency,
    custom_fields: [],
    customer: session.customer,
    customer_creation: null,
    customer_details: session.customer_email ? { email: session.customer_email } : null,
    customer_email: session.customer_email,
    expires_at: session.expires_at,
    invoice: null,
    livemode: session.livemode,
    locale: null,
    metadata: session.metadata,
    mode: 'payment' as const,
    payment_intent: session.payment_intent,
    payment_link: null,
    payment_method_types: ['card'],
    payment_status: session.payment_status,
    recovered_from: null,
    setup_intent: null,
    shipping_address_collection: null,
    status: session.status,
    submit_type: null,
    subscription: null,
    success_url: session.success_url,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted' as const,
    url: session.url,
  };
}

/** A line item in Stripe's shape; `price` is null, as Prices are not modelled. */
export function toCheckoutLineItem(item: ExpeCheckoutLineItem) {
  return {
    id: item.id,
    object: 'item' as const,
    amount_discount: 0,
    amount_subtotal: item.amount_subtotal,
    amount_tax: 0,
    amount_total: item.amount_total,
    currency: item.currency,
    description: item.description,
    price: null,
    quantity: item.quantity,
  };
}

// Money out (balance transactions, payouts, disputes) ---------------------------------------------

export interface ExpeBalanceTransaction {
  id: string;
  amount: number;
  fee: number;
  net: number;
  currency: string;
  type: string;
  source: string;
  /** The charge of a `payment` row. */
  charge?: string | null;
  status: 'pending' | 'available';
  available_on: number;
  created: number;
}

/** Expe's balance transaction types in Stripe's words (a dispute is an adjustment there). */
export const stripeBalanceTransactionTypes: Record<string, string> = {
  payment: 'charge',
  refund: 'refund',
  dispute: 'adjustment',
  payout: 'payout',
  payout_failure: 'payout_failure',
  payout_cancel: 'payout_cancel',
  adjustment: 'adjustment',
};

export function toBalanceTransaction(transaction: ExpeBalanceTransaction) {
  const type = stripeBalanceTransactionTypes[transaction.type] ?? transaction.type;
  return {
    id: transaction.id,
    object: 'balance_transaction' as const,
    amount: transaction.amount,
    available_on: transaction.available_on,
    created: transaction.created,
    currency: transaction.currency,
    description: null,
    exchange_rate: null,
    fee: transaction.fee,
    fee_details:
      transaction.fee === 0
        ? []
        : [
            {
              amount: transaction.fee,
              application: null,
              currency: transaction.currency,
              description: 'Expe sandbox fee',
              type: 'stripe_fee',
            },
          ],
    net: transaction.net,
    reporting_category: type === 'charge' ? 'charge' : type,
    // A payment's money is its Charge's in Stripe.
    source: transaction.charge ?? transaction.source,
    status: transaction.status,
    type,
  };
}

export interface ExpePayout {
  id: string;
  amount: number;
  currency: string;
  status: string;
  destination: { type: string; vpa: string };
  failure_code: string | null;
  failure_message: string | null;
  metadata?: Record<string, string>;
  arrival_date: number;
  original_payout?: string | null;
  reversed_by?: string | null;
  livemode: boolean;
  created: number;
}

export function toPayout(payout: ExpePayout) {
  return {
    id: payout.id,
    object: 'payout' as const,
    amount: payout.amount,
    arrival_date: payout.arrival_date,
    automatic: false,
    balance_transaction: null,
    created: payout.created,
    currency: payout.currency,
    description: null,
    destination: payout.destination.vpa,
    failure_balance_transaction: null,
    failure_code: payout.failure_code,
    failure_message: payout.failure_message,
    livemode: payout.livemode,
    metadata: payout.metadata ?? {},
    method: 'standard',
    original_payout: payout.original_payout ?? null,
    reconciliation_status: 'not_applicable',
    reversed_by: payout.reversed_by ?? null,
    source_type: 'card',
    statement_descriptor: null,
    status: payout.status,
    type: 'bank_account',
  };
}

export interface ExpeDispute {
  id: string;
  payment: string;
  charge?: string | null;
  amount: number;
  currency: string;
  status: string;
  reason: string;
  evidence: Partial<Record<DisputeEvidenceTextField, string | null>>;
  evidence_due_by: number;
  livemode: boolean;
  created: number;
}

export function toDispute(dispute: ExpeDispute) {
  const hasEvidence = Object.values(dispute.evidence).some((text) => text != null);
  return {
    id: dispute.id,
    object: 'dispute' as const,
    amount: dispute.amount,
    balance_transactions: [],
    charge: dispute.charge ?? null,
    created: dispute.created,
    currency: dispute.currency,
    evidence: {
      ...Object.fromEntries(
        disputeEvidenceTextFieldNames.map((field) => [field, dispute.evidence[field] ?? null]),
      ),
      // Stripe's file evidence: Expe takes none.
      ...Object.fromEntries(disputeEvidenceFileFields.map((field) => [field, null])),
    },
    evidence_details: {
      due_by: dispute.evidence_due_by,
      has_evidence: hasEvidence,
      past_due: false,
      submission_count: hasEvidence ? 1 : 0,
    },
    is_charge_refundable: false,
    livemode: dispute.livemode,
    metadata: {},
    payment_intent: dispute.payment,
    reason: dispute.reason,
    status: dispute.status,
  };
}

// Customers and saved cards ----------------------------------------------------------

export interface ExpeCustomer {
  id: string;
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  shipping?: {
    name: string;
    phone: string | null;
    address: {
      line1: string;
      line2: string | null;
      city: string | null;
      state: string | null;
      postal_code: string | null;
      country: string | null;
    };
  } | null;
  metadata: Record<string, string>;
  livemode: boolean;
  created: number;
}

export function toCustomer(customer: ExpeCustomer) {
  return {
    id: customer.id,
    object: 'customer' as const,
    address: null,
    balance: 0,
    created: customer.created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: customer.description,
    email: customer.email,
    invoice_prefix: null,
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null },
    livemode: customer.livemode,
    metadata: customer.metadata,
    name: customer.name,
    phone: customer.phone,
    preferred_locales: [],
    shipping: customer.shipping ?? null,
    tax_exempt: 'none',
  };
}

export interface ExpeSavedPaymentMethod {
  id: string;
  card: {
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding?: string;
    country?: string | null;
    fingerprint?: string;
  };
  billing_details?: {
    address: Record<string, string | null> | null;
    email: string | null;
    name: string | null;
    phone: string | null;
  };
  customer: string | null;
  metadata?: Record<string, string>;
  livemode: boolean;
  created: number;
}

const noAddress = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

/** An Expe PaymentMethod (a saved card or one created, attached or not) as Stripe's. */
export function toSavedPaymentMethod(method: ExpeSavedPaymentMethod) {
  const billing = method.billing_details;
  return {
    id: method.id,
    object: 'payment_method' as const,
    type: 'card' as const,
    allow_redisplay: 'unspecified',
    billing_details: {
      address: { ...noAddress, ...(billing?.address ?? {}) },
      email: billing?.email ?? null,
      name: billing?.name ?? null,
      phone: billing?.phone ?? null,
    },
    card: {
      brand: method.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: method.card.country ?? null,
      display_brand: method.card.brand,
      exp_month: method.card.exp_month,
      exp_year: method.card.exp_year,
      fingerprint: method.card.fingerprint ?? null,
      funding: method.card.funding ?? 'credit',
      generated_from: null,
      last4: method.card.last4,
      networks: { available: [method.card.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: method.created,
    customer: method.customer,
    livemode: method.livemode,
    metadata: method.metadata ?? {},
  };
}

export interface ExpeSetupIntent {
  id: string;
  status: string;
  usage: string;
  customer: string | null;
  payment_method: string | null;
  description: string | null;
  metadata: Record<string, string>;
  last_setup_error: { type: string; code: string; message: string; decline_code?: string } | null;
  next_action: { type: 'redirect_to_url'; redirect_to_url: { url: string } } | null;
  cancellation_reason: string | null;
  return_url?: string | null;
  client_secret?: string;
  livemode: boolean;
  created: number;
}

/** An Expe SetupIntent as Stripe's (the same id, `seti_`). */
export function toSetupIntent(setupIntent: ExpeSetupIntent) {
  const error = setupIntent.last_setup_error;
  return {
    id: setupIntent.id,
    object: 'setup_intent' as const,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: setupIntent.cancellation_reason,
    client_secret: setupIntent.client_secret ?? null,
    created: setupIntent.created,
    customer: setupIntent.customer,
    description: setupIntent.description,
    flow_directions: null,
    last_setup_error: error
      ? {
          code: error.code,
          ...(error.decline_code ? { decline_code: error.decline_code } : {}),
          message: error.message,
          type: error.type,
        }
      : null,
    latest_attempt: null,
    livemode: setupIntent.livemode,
    mandate: null,
    metadata: setupIntent.metadata,
    next_action: setupIntent.next_action
      ? {
          type: 'redirect_to_url' as const,
          redirect_to_url: {
            url: setupIntent.next_action.redirect_to_url.url,
            return_url: setupIntent.return_url ?? null,
          },
        }
      : null,
    on_behalf_of: null,
    payment_method: setupIntent.payment_method,
    payment_method_configuration_details: null,
    payment_method_options: {
      card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' },
    },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: setupIntent.status,
    usage: setupIntent.usage,
  };
}
