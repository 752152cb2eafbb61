import { randomUUID } from 'node:crypto';
import { createExpeClient, ExpeCardError, type ExpeClient, type Payment } from '@expe/sdk';
import { UsageError, type Credentials } from './config.js';

/** What a trigger made, for the user to look up afterwards. */
export interface TriggerResult {
  event: string;
  objects: Array<{ object: string; id: string; status?: string }>;
  note?: string;
}

type Fixture = (client: ExpeClient, credentials: Credentials) => Promise<TriggerResult>;

const successCard = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };
const declinedCard = { ...successCard, number: '4000000000000002' };
const disputedCard = { ...successCard, number: '4000000000000259' };
/** Pending money becomes available 2 days after the payment, by the project clock. */
const availabilityDelaySeconds = 2 * 86400;

const createPayment = (client: ExpeClient, event: string) =>
  client.payments.create({
    amount: 2000,
    currency: 'inr',
    description: `expe trigger ${event}`,
    metadata: { source: 'expe-cli-trigger' },
  });

async function paidPayment(
  client: ExpeClient,
  event: string,
  card = successCard,
): Promise<Payment> {
  const payment = await createPayment(client, event);
  return client.payments.confirm(payment.id, {
    client_secret: payment.client_secret,
    method: 'card',
    card,
  });
}

/** A payment with card 4000000000000259, which the sandbox cardholder disputes at once. */
async function disputedPayment(client: ExpeClient, event: string) {
  const payment = await paidPayment(client, event, disputedCard);
  const disputes = await client.disputes.list({ payment: payment.id });
  const dispute = disputes.data[0];
  if (!dispute) throw new Error(`The platform opened no dispute for ${payment.id}`);
  return { payment, dispute };
}

/**
 * A payout needs available money: a payment, then the project's test clock 2 days ahead so its
 * net is available, then a payout of ₹10 to the sandbox VPA that decides the outcome.
 */
async function payout(client: ExpeClient, event: string, vpa: string): Promise<TriggerResult> {
  const payment = await paidPayment(client, event);
  const clock = await client.testHelpers.clock.advance({ seconds: availabilityDelaySeconds });
  const made = await client.payouts.create({
    amount: 1000,
    currency: 'inr',
    destination: { vpa },
    metadata: { source: 'expe-cli-trigger' },
  });
  return {
    event,
    objects: [describe(payment), { object: 'payout', id: made.id, status: made.status }],
    note:
      "To make the payment's money available, this moved your project's test clock 2 days " +
      `ahead, to ${new Date(clock.now * 1000).toISOString()} (a test clock never goes back).`,
  };
}

const describe = (payment: Payment) => ({
  object: 'payment',
  id: payment.id,
  status: payment.status,
});

/** A throwaway sandbox wallet user (anonymous sign-up, like the web app's). */
async function sandboxUser(apiBase: string, label: string) {
  const response = await fetch(new URL('/v1/auth/register', apiBase), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `expe-cli-${label}-${randomUUID().slice(0, 8)}@example.com`,
      password: `expe-cli-${randomUUID()}`,
      name: `expe trigger ${label}`,
      role: 'user',
    }),
  });
  const body = (await response.json()) as {
    access_token?: string;
    user?: { id: string; vpa: string };
    error?: { message: string };
  };
  if (response.status !== 201 || !body.access_token || !body.user) {
    throw new Error(`Could not create a sandbox user: ${body.error?.message ?? response.status}`);
  }
  return { token: body.access_token, user: body.user };
}

const fixtures: Record<string, Fixture> = {
  'payment.created': async (client) => {
    const payment = await createPayment(client, 'payment.created');
    return { event: 'payment.created', objects: [describe(payment)] };
  },
  'payment.succeeded': async (client) => {
    const payment = await paidPayment(client, 'payment.succeeded');
    return { event: 'payment.succeeded', objects: [describe(payment)] };
  },
  'payment.failed': async (client) => {
    const payment = await createPayment(client, 'payment.failed');
    try {
      await client.payments.confirm(payment.id, {
        client_secret: payment.client_secret,
        method: 'card',
        card: declinedCard,
      });
    } catch (error) {
      if (!(error instanceof ExpeCardError)) throw error;
    }
    const after = await client.payments.retrieve(payment.id);
    return { event: 'payment.failed', objects: [describe(after)] };
  },
  'payment.canceled': async (client) => {
    const payment = await createPayment(client, 'payment.canceled');
    const canceled = await client.payments.cancel(payment.id);
    return { event: 'payment.canceled', objects: [describe(canceled)] };
  },
  'refund.succeeded': async (client) => {
    const payment = await paidPayment(client, 'refund.succeeded');
    const refund = await client.refunds.create({
      payment: payment.id,
      reason: 'requested_by_customer',
    });
    return {
      event: 'refund.succeeded',
      objects: [describe(payment), { object: 'refund', id: refund.id, status: refund.status }],
    };
  },
  'dispute.created': async (client) => {
    const { payment, dispute } = await disputedPayment(client, 'dispute.created');
    return {
      event: 'dispute.created',
      objects: [describe(payment), { object: 'dispute', id: dispute.id, status: dispute.status }],
    };
  },
  'dispute.closed': async (client) => {
    const { payment, dispute } = await disputedPayment(client, 'dispute.closed');
    const closed = await client.disputes.close(dispute.id);
    return {
      event: 'dispute.closed',
      objects: [describe(payment), { object: 'dispute', id: closed.id, status: closed.status }],
    };
  },
  'payout.paid': (client) => payout(client, 'payout.paid', 'success@expe'),
  'payout.failed': (client) => payout(client, 'payout.failed', 'failure@expe'),
  'transfer.completed': async (_client, credentials) => {
    const sender = await sandboxUser(credentials.apiBase, 'sender');
    const recipient = await sandboxUser(credentials.apiBase, 'recipient');
    const wallet = createExpeClient({ apiKey: sender.token, baseUrl: credentials.apiBase });
    await wallet.wallet.topup({ amount: 5000 });
    const transfer = await wallet.wallet.transfer({
      to: recipient.user.vpa,
      amount: 2000,
      note: 'expe trigger transfer.completed',
    });
    return {
      event: 'transfer.completed',
      objects: [{ object: 'transfer', id: transfer.id, status: transfer.status }],
      note:
        'transfer.completed is a wallet event between two sandbox users: it reaches their wallet ' +
        'channels, not your merchant webhooks or `expe listen`.',
    };
  },
};

export const triggerableEvents = Object.keys(fixtures);

export async function trigger(
  event: string,
  client: ExpeClient,
  credentials: Credentials,
): Promise<TriggerResult> {
  const fixture = fixtures[event];
  if (fixture) return fixture(client, credentials);
  throw new UsageError(`Unknown event ${event}. Triggerable: ${triggerableEvents.join(', ')}.`);
}
