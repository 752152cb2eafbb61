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

const createPayment = (client: ExpeClient, event: string) =>
  client.payments.create({
    amount: 2000,
    currency: 'inr',
    description: `expe trigger ${event}`,
    metadata: { source: 'expe-cli-trigger' },
  });

async function paidPayment(client: ExpeClient, event: string): Promise<Payment> {
  const payment = await createPayment(client, event);
  return client.payments.confirm(payment.id, {
    client_secret: payment.client_secret,
    method: 'card',
    card: successCard,
  });
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

/** Named in DESIGN §9 but not built in the platform yet. */
const notYetAvailable: Record<string, string> = {
  'dispute.created': 'disputes',
  'dispute.closed': 'disputes',
  'payout.paid': 'payouts',
  'payout.failed': 'payouts',
};

export const triggerableEvents = Object.keys(fixtures);

export async function trigger(
  event: string,
  client: ExpeClient,
  credentials: Credentials,
): Promise<TriggerResult> {
  const fixture = fixtures[event];
  if (fixture) return fixture(client, credentials);
  const feature = notYetAvailable[event];
  if (feature) {
    throw new UsageError(
      `Cannot trigger ${event}: this Expe platform has no ${feature} yet (DESIGN §9), so nothing can make it fire. ` +
        `Triggerable now: ${triggerableEvents.join(', ')}.`,
      1,
    );
  }
  throw new UsageError(`Unknown event ${event}. Triggerable: ${triggerableEvents.join(', ')}.`);
}
