/**
 * Stripe's names that Expe's contracts and the Stripe-compatible port share: plain data with no
 * imports, so a small consumer (the CLI's bundle, through `@expe/stripe-compat`) can take them
 * without the schemas and the OpenAPI registry (`@expe/contracts/stripe-vocabulary`).
 */

/**
 * Stripe's event types of the resources Expe serves on its Stripe-compatible port. An endpoint
 * may subscribe by these names too (an integration moved from Stripe keeps its list): it then
 * gets each Expe event delivered as that Stripe type (`@expe/stripe-compat`'s events.ts maps
 * them). A type here that no Expe event becomes yet is accepted and simply never sent.
 */
export const stripeWebhookEventTypes = [
  'balance.available',
  'charge.captured',
  'charge.dispute.closed',
  'charge.dispute.created',
  'charge.dispute.funds_reinstated',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.updated',
  'charge.expired',
  'charge.failed',
  'charge.pending',
  'charge.refund.updated',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  'checkout.session.async_payment_failed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.created',
  'customer.deleted',
  'customer.updated',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.partially_funded',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.succeeded',
  'payment_link.created',
  'payment_link.updated',
  'payment_method.attached',
  'payment_method.automatically_updated',
  'payment_method.detached',
  'payment_method.updated',
  'payout.canceled',
  'payout.created',
  'payout.failed',
  'payout.paid',
  'payout.reconciliation_completed',
  'payout.updated',
  'refund.created',
  'refund.failed',
  'refund.updated',
  'setup_intent.canceled',
  'setup_intent.created',
  'setup_intent.requires_action',
  'setup_intent.setup_failed',
  'setup_intent.succeeded',
] as const;
export type StripeWebhookEventType = (typeof stripeWebhookEventTypes)[number];

/**
 * The text fields of Stripe's dispute evidence, each with Stripe's length limit. Evidence that is
 * a file (receipt, refund_policy, shipping_documentation…) is not taken: Expe stores no files.
 */
export const disputeEvidenceTextFields = {
  access_activity_log: 20_000,
  billing_address: 20_000,
  cancellation_policy_disclosure: 20_000,
  cancellation_rebuttal: 20_000,
  customer_email_address: 5_000,
  customer_name: 5_000,
  customer_purchase_ip: 5_000,
  duplicate_charge_explanation: 20_000,
  duplicate_charge_id: 5_000,
  product_description: 20_000,
  refund_policy_disclosure: 20_000,
  refund_refusal_explanation: 20_000,
  service_date: 5_000,
  shipping_address: 20_000,
  shipping_carrier: 5_000,
  shipping_date: 5_000,
  shipping_tracking_number: 5_000,
  uncategorized_text: 20_000,
} as const;
export type DisputeEvidenceTextField = keyof typeof disputeEvidenceTextFields;
export const disputeEvidenceTextFieldNames = Object.keys(
  disputeEvidenceTextFields,
) as DisputeEvidenceTextField[];

/** Stripe's evidence fields that are file ids: refused by name. */
export const disputeEvidenceFileFields = [
  'cancellation_policy',
  'customer_communication',
  'customer_signature',
  'duplicate_charge_documentation',
  'receipt',
  'refund_policy',
  'service_documentation',
  'shipping_documentation',
  'uncategorized_file',
] as const;
