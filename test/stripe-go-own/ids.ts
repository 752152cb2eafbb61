// The made-up ids of stripe-go's own client tests (`pi_123`, `cus_123`, `gold`…), which
// stripe-mock answers for any id, each replaced by a real object of the project the tests run
// in. Per test, because one made-up id stands for objects in different states: the `pi_123` a
// test cancels cannot be the one another test captures. Every made-up id of the packages run
// has an entry here; run.ts refuses to run with one left over.
import type Stripe from 'stripe';

/** The objects the tests need, made through the Stripe port with the official stripe-node. */
export interface FixtureContext {
  stripe: Stripe;
  /** Expe's own API as the project's key (only what Stripe has no call for: the test clock). */
  expe: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
  /** Where a fixture fell back to something else than a real object of its own, and why. */
  notes: string[];
}

type Fixture = (context: FixtureContext) => Promise<string>;

async function succeededIntent({ stripe }: FixtureContext, paymentMethod = 'pm_card_visa') {
  const intent = await stripe.paymentIntents.create({
    amount: 2_000,
    currency: 'usd',
    payment_method: paymentMethod,
    confirm: true,
  });
  if (intent.status !== 'succeeded') throw new Error(`${paymentMethod} did not succeed`);
  return intent;
}

async function customerWithSavedCard({ stripe }: FixtureContext) {
  const customer = await stripe.customers.create({ email: 'saver@example.com' });
  const intent = await stripe.paymentIntents.create({
    amount: 1_200,
    currency: 'usd',
    customer: customer.id,
    payment_method: 'pm_card_visa',
    setup_future_usage: 'off_session',
    confirm: true,
  });
  if (intent.status !== 'succeeded') throw new Error('the saving payment did not succeed');
  const saved = await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
  const card = saved.data[0]?.id;
  if (!card) throw new Error('the payment saved no card');
  return { customer: customer.id, card };
}

async function disputeOf(context: FixtureContext) {
  const intent = await succeededIntent(context, 'pm_card_createDispute');
  const disputes = await context.stripe.disputes.list({ payment_intent: intent.id });
  const dispute = disputes.data[0];
  if (!dispute) throw new Error('pm_card_createDispute opened no dispute');
  return dispute.id;
}

/** A payout to success@expe (paid at once) or pending@expe (pending for a day: cancelable). */
async function payoutTo({ stripe }: FixtureContext, destination: 'success@expe' | 'pending@expe') {
  const payout = await stripe.payouts.create({ amount: 500, currency: 'usd', destination });
  return payout.id;
}

/** Every fixture by name; a name is made once per run (memoized by run.ts). */
export const fixtures = {
  /** A succeeded PaymentIntent (pm_card_visa). */
  paymentIntent: async (context) => (await succeededIntent(context)).id,
  /** Created without a payment method: requires_payment_method, so it can be canceled. */
  openPaymentIntent: async ({ stripe }) =>
    (await stripe.paymentIntents.create({ amount: 2_000, currency: 'usd' })).id,
  /** capture_method=manual, confirmed with pm_card_visa: requires_capture, 2,000 capturable. */
  uncapturedPaymentIntent: async ({ stripe }) =>
    (
      await stripe.paymentIntents.create({
        amount: 2_000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        capture_method: 'manual',
        confirm: true,
      })
    ).id,
  /** pm_card_visa chosen, not confirmed: requires_confirmation. */
  confirmablePaymentIntent: async ({ stripe }) =>
    (
      await stripe.paymentIntents.create({
        amount: 2_000,
        currency: 'usd',
        payment_method: 'pm_card_visa',
      })
    ).id,
  /** A succeeded PaymentIntent nothing refunded yet, and its charge (refunded by both ids). */
  refundablePaymentIntent: async (context) => (await succeededIntent(context)).id,
  chargeOfRefundablePaymentIntent: async (context) => {
    const intent = await context.stripe.paymentIntents.retrieve(
      await memo(context, 'refundablePaymentIntent'),
    );
    const charge = intent.latest_charge;
    if (!charge) throw new Error('a succeeded PaymentIntent has no latest_charge');
    return typeof charge === 'string' ? charge : charge.id;
  },
  /** A succeeded charge (the latest_charge of a succeeded PaymentIntent). */
  charge: async (context) => {
    const intent = await succeededIntent(context);
    const charge = intent.latest_charge;
    if (!charge) throw new Error('a succeeded PaymentIntent has no latest_charge');
    return typeof charge === 'string' ? charge : charge.id;
  },
  /**
   * The charge of another requires_capture PaymentIntent (the one above is captured by its own
   * test; Stripe's charge of an authorized PaymentIntent is its latest_charge).
   */
  uncapturedCharge: async (context) => {
    const intent = await context.stripe.paymentIntents.create({
      amount: 2_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const charge = intent.latest_charge;
    if (!charge) {
      context.notes.push(
        'uncapturedCharge: a requires_capture PaymentIntent has no latest_charge; ch_123 is left as it is',
      );
      return 'ch_123';
    }
    return typeof charge === 'string' ? charge : charge.id;
  },
  /** A partial refund (100) of a succeeded PaymentIntent. */
  refund: async (context) =>
    (
      await context.stripe.refunds.create({
        payment_intent: (await succeededIntent(context)).id,
        amount: 100,
      })
    ).id,
  customer: async ({ stripe }) => (await stripe.customers.create({ email: 'own@example.com' })).id,
  deletableCustomer: async ({ stripe }) =>
    (await stripe.customers.create({ email: 'deleted@example.com' })).id,
  /** A customer with a card saved by a payment with setup_future_usage, and that card. */
  customerWithSavedCard: async (context) => {
    const saved = await customerWithSavedCard(context);
    savedCards.set(context, saved.card);
    return saved.customer;
  },
  /** customerWithSavedCard's card. */
  savedCard: async (context) => {
    await memo(context, 'customerWithSavedCard');
    return savedCards.get(context)!;
  },
  /** Another customer's saved card, for the test that detaches it. */
  detachableCard: async (context) => (await customerWithSavedCard(context)).card,
  /**
   * A PaymentMethod no customer has: made by `POST /v1/payment_methods` from tok_visa where the
   * port serves it, else the test PaymentMethod pm_card_visa (which Stripe attaches as a copy).
   */
  unattachedPaymentMethod: async (context) => {
    try {
      const method = await context.stripe.paymentMethods.create({
        type: 'card',
        card: { token: 'tok_visa' },
      });
      return method.id;
    } catch (error) {
      context.notes.push(
        `unattachedPaymentMethod: POST /v1/payment_methods failed (${(error as Error).message.split('. Served:')[0]}); pm_card_visa used instead`,
      );
      return 'pm_card_visa';
    }
  },
  /** Stripe's test token for a Visa card (tok_123 and the source src_123 name no real token). */
  visaToken: () => Promise.resolve('tok_visa'),
  /** The newest event of the project (the fixtures above made several). */
  event: async (context) => {
    await memo(context, 'paymentIntent');
    const events = await context.stripe.events.list({ limit: 1 });
    const event = events.data[0];
    if (!event) throw new Error('the project has no event');
    return event.id;
  },
  webhookEndpoint: async ({ stripe }) =>
    (
      await stripe.webhookEndpoints.create({
        url: 'https://hooks.example.com/stripe',
        enabled_events: ['payment_intent.succeeded'],
      })
    ).id,
  deletableWebhookEndpoint: async ({ stripe }) =>
    (
      await stripe.webhookEndpoints.create({
        url: 'https://hooks.example.com/deleted',
        enabled_events: ['payment_intent.succeeded'],
      })
    ).id,
  /** The newest balance transaction (a payment's, type charge). */
  balanceTransaction: async (context) => {
    await memo(context, 'paymentIntent');
    const transactions = await context.stripe.balanceTransactions.list({ limit: 1 });
    const transaction = transactions.data[0];
    if (!transaction) throw new Error('the project has no balance transaction');
    return transaction.id;
  },
  /**
   * A payout paid to success@expe (the reverse and update tests name it). The project's test
   * clock moves three days first, so the payments above are available (payouts are paid from
   * the available balance).
   */
  payout: async (context) => {
    await memo(context, 'availableBalance');
    return payoutTo(context, 'success@expe');
  },
  /** A pending payout (to pending@expe, arriving a day later), which the cancel test cancels. */
  cancelablePayout: async (context) => {
    await memo(context, 'availableBalance');
    return payoutTo(context, 'pending@expe');
  },
  /**
   * Three payments made available by moving the project's test clock three days on; made first
   * (run.ts), since the move also expires what is open at the time.
   */
  availableBalance: async (context) => {
    for (let i = 0; i < 3; i++) await succeededIntent(context);
    const advanced = await context.expe('POST', '/v1/test_helpers/clock/advance', {
      seconds: 3 * 24 * 3600,
    });
    if (advanced.status !== 200) throw new Error(`clock advance: ${advanced.status}`);
    return '';
  },
  /** A dispute opened by pm_card_createDispute, needs_response (one per test that changes it). */
  dispute: disputeOf,
  closableDispute: disputeOf,
  /** A Checkout Session with two line items (price_data), open. */
  checkoutSession: async ({ stripe }) =>
    (
      await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          {
            price_data: { currency: 'usd', unit_amount: 1_500, product_data: { name: 'T-shirt' } },
            quantity: 2,
          },
        ],
        success_url: 'https://shop.example/success',
        cancel_url: 'https://shop.example/cart',
      })
    ).id,
} satisfies Record<string, Fixture>;

export type FixtureName = keyof typeof fixtures;

const values = new WeakMap<FixtureContext, Map<string, Promise<string>>>();
const savedCards = new WeakMap<FixtureContext, string>();

/** The fixture's id, made on first use within this context. */
export function memo(context: FixtureContext, name: FixtureName): Promise<string> {
  let map = values.get(context);
  if (!map) values.set(context, (map = new Map()));
  let value = map.get(name);
  if (!value) {
    value = fixtures[name](context).catch((error: unknown) => {
      throw new Error(`fixture ${name}: ${(error as Error).message}`, { cause: error });
    });
    map.set(name, value);
  }
  return value;
}

/** Package (import path under stripe-go/v85) → test → made-up id literal → the real object. */
export const madeUpIds: Record<string, Record<string, Record<string, FixtureName>>> = {
  paymentintent: {
    TestPaymentIntentCancel: { pi_123: 'openPaymentIntent' },
    TestPaymentIntentCapture: { pi_123: 'uncapturedPaymentIntent' },
    TestPaymentIntentConfirm: { pi_123: 'confirmablePaymentIntent' },
    TestPaymentIntentGet: { pi_123: 'paymentIntent' },
    TestPaymentIntentUpdate: { pi_123: 'paymentIntent' },
  },
  refund: {
    TestRefundGet: { gold: 'refund' },
    TestRefundNew: { ch_123: 'chargeOfRefundablePaymentIntent', pi_123: 'refundablePaymentIntent' },
    TestRefundUpdate: { gold: 'refund' },
  },
  customer: {
    TestCustomerDel: { cus_123: 'deletableCustomer' },
    TestCustomerGet: { cus_123: 'customer' },
    TestCustomerUpdate: { cus_123: 'customer' },
    TestCustomerListPaymentMethods: { cus_123: 'customerWithSavedCard' },
  },
  paymentmethod: {
    TestPaymentMethodAttach: { cus_123: 'customer', pm_123: 'unattachedPaymentMethod' },
    TestPaymentMethodDetach: { pm_123: 'detachableCard' },
    TestPaymentMethodGet: { pm_123: 'savedCard' },
    TestPaymentMethodList: { cus_123: 'customerWithSavedCard' },
    TestPaymentMethodNew: { tok_123: 'visaToken' },
    TestPaymentMethodUpdate: { pm_123: 'savedCard' },
  },
  event: {
    TestEventGet: { evt_123: 'event' },
  },
  webhookendpoint: {
    TestWebhookEndpointDel: { we_123: 'deletableWebhookEndpoint' },
    TestWebhookEndpointGet: { we_123: 'webhookEndpoint' },
    TestWebhookEndpointUpdate: { we_123: 'webhookEndpoint' },
  },
  balancetransaction: {
    TestBalanceTransactionGet: { txn_123: 'balanceTransaction' },
  },
  payout: {
    TestPayoutCancel: { po_123: 'cancelablePayout' },
    TestPayoutGet: { po_123: 'payout' },
    TestPayoutReverse: { po_123: 'payout' },
    TestPayoutUpdate: { po_123: 'payout' },
  },
  dispute: {
    TestDisputeClose: { dp_123: 'closableDispute' },
    TestDisputeGet: { dp_123: 'dispute' },
    TestDisputeUpdate: { dp_123: 'dispute' },
  },
  charge: {
    TestChargeCapture: { ch_123: 'uncapturedCharge' },
    TestChargeGet: { ch_123: 'charge' },
    TestChargeNew: { src_123: 'visaToken' },
    TestChargeUpdate: { ch_123: 'charge' },
  },
  'checkout/session': {
    TestCheckoutSessionGet: { cs_123: 'checkoutSession' },
    TestCheckoutSessionListLineItems: { cs_123: 'checkoutSession' },
  },
};

/** A string literal in a test that looks like a made-up id (so none is left unmapped). */
export const madeUpIdPattern =
  /"((?:pi|ch|cus|pm|evt|we|txn|po|dp|du|cs|re|tok|src|seti|card|ba|acct|price|prod)_123|gold)"/g;
