import { webhookEventTypes } from '@expe/contracts';
import {
  stripeEventTypes,
  stripeWebhookEventTypes,
  subscriptionNamesOf,
} from '@expe/stripe-compat';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import {
  clientOf,
  createEndpoint,
  eventJob,
  expectError,
  fakeDns,
  newMerchant,
  queryRows,
  receiverPerFile,
  servicePerFile,
  uniquePaths,
  waitFor,
} from './support.js';

// Issue 20: an integration moved from Stripe subscribes by Stripe's event names. The endpoint
// keeps the names it was given; each Expe event reaches endpoints subscribed by its Expe name or
// by the Stripe name it is delivered as.

const service = servicePerFile(
  'webhooks_stripe_names',
  {},
  { resolveHost: fakeDns({ 'receiver.expe.test': ['127.0.0.1'] }) },
);
const call = clientOf(service);
const receiver = receiverPerFile();

const uniquePath = uniquePaths('/stripe-names');

describe('enabled_events by Stripe names', () => {
  it('when an endpoint subscribes by Stripe names of every served resource, then they are accepted and shown as given', async () => {
    const merchant = newMerchant();
    const names = [
      'payment_intent.succeeded',
      'charge.refunded',
      'charge.captured',
      'charge.dispute.created',
      'checkout.session.completed',
      'setup_intent.succeeded',
      'payment_method.updated',
      'balance.available',
      'payment.failed',
    ];

    const endpoint = await createEndpoint(call, merchant.test, {
      url: 'https://receiver.expe.test/hooks',
      enabled_events: names,
    });
    const every = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { enabled_events: [...new Set([...stripeWebhookEventTypes, ...webhookEventTypes])] },
    });

    expect(endpoint.enabled_events).toEqual(names);
    expect(every.status, every.text).toBe(200);
  });

  it('when a type is neither an Expe nor a Stripe event type, then it is a 400 naming the value and nothing is written', async () => {
    const merchant = newMerchant();

    const response = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.test,
      body: {
        url: 'https://receiver.expe.test/hooks',
        enabled_events: ['charge.succeeded', 'charge.exploded'],
      },
    });

    expectError(response, 400, 'parameter_invalid', 'enabled_events[1]');
    expect(response.body.error.message).toContain('"charge.exploded"');
    expect(
      await countRows(service.databaseUrl, 'webhooks.endpoints', `merchant_id = '${merchant.id}'`),
    ).toBe(0);
  });

  it('when events are fanned out, then an endpoint subscribed by Stripe names gets exactly the events delivered as those names, in Stripe shape', async () => {
    const merchant = newMerchant();
    const stripePath = uniquePath();
    const allPath = uniquePath();
    const stripeEndpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(stripePath),
      enabled_events: ['payment_intent.succeeded', 'checkout.session.completed'],
      format: 'stripe',
    });
    await createEndpoint(call, merchant.test, {
      url: receiver.url(allPath),
      enabled_events: ['*'],
    });
    const session = {
      id: 'cs_test_01kb3v4y7m9q2x8c5d6e7f8g9h',
      object: 'checkout.session',
      status: 'complete',
      payment_intent: 'pay_01kb3v4y7m9q2x8c5d6e7f8g9h',
    };
    const jobs = [
      eventJob(merchant, 'payment.created'),
      eventJob(merchant, 'payment.succeeded'),
      eventJob(merchant, 'checkout.session.completed', { object: session }),
      eventJob(merchant, 'checkout.session.expired', { object: { ...session, status: 'expired' } }),
    ];

    await service.events.enqueueMany(jobs);

    // Every event reached the "*" endpoint, so each has been fanned out to every endpoint.
    await waitFor(
      () => receiver.requestsTo(allPath).length === jobs.length,
      10_000,
      'all four events',
    );
    const deliveries = await queryRows<{ event_id: string }>(
      service.databaseUrl,
      'select event_id from webhooks.deliveries where endpoint_id = $1 order by event_id',
      [stripeEndpoint.id],
    );
    expect(deliveries.map((row) => row.event_id).sort()).toEqual(
      [jobs[1]!.event.id, jobs[2]!.event.id].sort(),
    );
    await waitFor(
      () => receiver.requestsTo(stripePath).length === 2,
      10_000,
      'the two subscribed events',
    );
    const received = receiver.requestsTo(stripePath).map((request) => JSON.parse(request.rawBody));
    expect(received.map((event) => event.type).sort()).toEqual([
      'checkout.session.completed',
      'payment_intent.succeeded',
    ]);
    const completed = received.find((event) => event.type === 'checkout.session.completed');
    expect(completed.id).toBe(jobs[2]!.event.id);
    expect(completed.data.object).toMatchObject({
      id: session.id,
      object: 'checkout.session',
      payment_intent: 'pi_01kb3v4y7m9q2x8c5d6e7f8g9h',
    });
  });
});

describe('the Stripe event catalog', () => {
  it('when an Expe type maps to a Stripe type, then that type is one an endpoint may subscribe to', () => {
    for (const expeType of webhookEventTypes) {
      const stripeType = stripeEventTypes[expeType];
      if (stripeType) expect(stripeWebhookEventTypes, expeType).toContain(stripeType);
      expect(subscriptionNamesOf(expeType)).toContain(expeType);
    }
  });
});
