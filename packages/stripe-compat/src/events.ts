import {
  toCharge,
  toCheckoutSession,
  toCustomer,
  toDispute,
  toPaymentIntent,
  toPayout,
  toRefund,
  toSavedPaymentMethod,
  toSetupIntent,
  type ExpeCharge,
  type ExpeCheckoutSession,
  type ExpeCustomer,
  type ExpeDispute,
  type ExpeSavedPaymentMethod,
  type ExpeSetupIntent,
  type ExpeEvent,
  type ExpePayment,
  type ExpePayout,
  type ExpeRefund,
} from './objects.js';
import { toStripeIds } from './ids.js';

/** The API version Expe's Stripe-shaped objects follow, echoed when a client sends none. */
export const stripeApiVersion = '2025-10-29.clover';

/**
 * Each Expe event type and the Stripe event type it is delivered and listed as. One Expe event
 * is one Stripe event (same id), so receivers dedupe on `event.id` either way. Types not listed
 * here keep their Expe name.
 */
export const stripeEventTypes: Record<string, string> = {
  'payment.created': 'payment_intent.created',
  'payment.processing': 'payment_intent.processing',
  'payment.succeeded': 'payment_intent.succeeded',
  'payment.failed': 'payment_intent.payment_failed',
  'payment.canceled': 'payment_intent.canceled',
  'payment.expired': 'payment_intent.canceled',
  'payment.requires_action': 'payment_intent.requires_action',
  'payment.requires_capture': 'payment_intent.amount_capturable_updated',
  'payment.amount_capturable_updated': 'payment_intent.amount_capturable_updated',
  'refund.succeeded': 'refund.created',
  'refund.created': 'refund.created',
  'dispute.created': 'charge.dispute.created',
  'dispute.updated': 'charge.dispute.updated',
  'dispute.closed': 'charge.dispute.closed',
  'payout.created': 'payout.created',
  'payout.paid': 'payout.paid',
  'payout.failed': 'payout.failed',
  'payout.canceled': 'payout.canceled',
  'payout.updated': 'payout.updated',
  'customer.created': 'customer.created',
  'customer.updated': 'customer.updated',
  'customer.deleted': 'customer.deleted',
  'payment_method.attached': 'payment_method.attached',
  'payment_method.detached': 'payment_method.detached',
  'payment_method.updated': 'payment_method.updated',
  'setup_intent.created': 'setup_intent.created',
  'setup_intent.requires_action': 'setup_intent.requires_action',
  'setup_intent.succeeded': 'setup_intent.succeeded',
  'setup_intent.setup_failed': 'setup_intent.setup_failed',
  'setup_intent.canceled': 'setup_intent.canceled',
  'checkout.session.completed': 'checkout.session.completed',
  'checkout.session.expired': 'checkout.session.expired',
  'charge.pending': 'charge.pending',
  'charge.succeeded': 'charge.succeeded',
  'charge.failed': 'charge.failed',
  'charge.captured': 'charge.captured',
  'charge.refunded': 'charge.refunded',
  'charge.expired': 'charge.expired',
  'charge.updated': 'charge.updated',
};

export function toStripeEventType(expeType: string): string {
  return stripeEventTypes[expeType] ?? expeType;
}

/**
 * The Expe event types a Stripe event type (or `*`) subscribes to. `undefined` for a Stripe
 * type no Expe event becomes.
 */
export function expeEventTypesOf(stripeType: string): string[] | undefined {
  if (stripeType === '*') return ['*'];
  const types = Object.entries(stripeEventTypes)
    .filter(([, stripe]) => stripe === stripeType)
    .map(([expe]) => expe);
  return types.length ? types : undefined;
}

/** The Stripe event types Expe emits, for the compatibility table. */
export const supportedStripeEventTypes = [...new Set(Object.values(stripeEventTypes))].sort();

/**
 * Every Stripe event type of the resources the Stripe port serves: what a webhook endpoint may
 * subscribe to by Stripe's name. A type no Expe event becomes yet (`charge.refund.updated`,
 * `payout.reconciliation_completed`…) is accepted and simply never sent, as Stripe accepts a
 * type nothing happens to emit. The list lives in the contracts, which validate `enabled_events`.
 */
export { stripeWebhookEventTypes } from '@expe/contracts/stripe-vocabulary';

/**
 * The names an endpoint may have subscribed to an Expe event by: its Expe type and the Stripe
 * type it is delivered as. One Expe event is one Stripe event (same id): where Stripe sends two
 * events for one change (a refund: `refund.created` and `charge.refunded`), Expe records two
 * events, each with its own id, so a receiver that dedupes on `event.id` sees both.
 */
export function subscriptionNamesOf(expeType: string): string[] {
  return [...new Set([expeType, toStripeEventType(expeType)])];
}

/** An Expe event's data object in Stripe's shape. */
export function toStripeEventObject(type: string, object: Record<string, unknown>): unknown {
  if (object.object === 'payment') return toPaymentIntent(object as unknown as ExpePayment);
  if (object.object === 'refund') return toRefund(object as unknown as ExpeRefund);
  if (object.object === 'charge') return toCharge(object as unknown as ExpeCharge);
  if (object.object === 'dispute') return toDispute(object as unknown as ExpeDispute);
  if (object.object === 'payout') return toPayout(object as unknown as ExpePayout);
  if (object.object === 'customer' && !object.deleted) {
    return toCustomer(object as unknown as ExpeCustomer);
  }
  if (object.object === 'checkout.session') {
    return toCheckoutSession(object as unknown as ExpeCheckoutSession);
  }
  if (object.object === 'payment_method') {
    return toSavedPaymentMethod(object as unknown as ExpeSavedPaymentMethod);
  }
  if (object.object === 'setup_intent') {
    return toSetupIntent(object as unknown as ExpeSetupIntent);
  }
  void type;
  return object;
}

/**
 * An Expe event as Stripe's Event object: what webhooks to Stripe endpoints and the Events API
 * carry, with Stripe's ids in the data object.
 */
export function toStripeEvent(event: ExpeEvent, apiVersion: string | null = stripeApiVersion) {
  return toStripeIds({
    id: event.id,
    object: 'event' as const,
    api_version: apiVersion,
    created: event.created,
    data: { object: toStripeEventObject(event.type, event.data.object) },
    livemode: event.livemode,
    pending_webhooks: 0,
    request: { id: null, idempotency_key: null },
    type: toStripeEventType(event.type),
  });
}
