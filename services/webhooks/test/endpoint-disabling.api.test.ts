import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  createEndpoint,
  eventJob,
  newMerchant,
  queryRows,
  sleep,
  startPaymentsStandIn,
  startReceiver,
  startTestService,
  waitFor,
  type ApiClient,
  type PaymentsStandIn,
  type Receiver,
  type TestService,
} from './support.js';

let service: TestService;
let call: ApiClient;
let receiver: Receiver;
let payments: PaymentsStandIn;

beforeAll(async () => {
  // The stand-in for the payments service records what lands in the merchant's event log.
  payments = await startPaymentsStandIn();
  service = await startTestService('webhooks_disabling', {
    PAYMENTS_URL: payments.url,
    RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms',
    DISABLE_AFTER_FAILING_FOR: '800ms',
  });
  call = apiClient(service.url);
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver.close();
  await service.stop();
  await payments.close();
});

let pathCounter = 0;
const uniquePath = () => `/disabling/${++pathCounter}`;
const requestsTo = (path: string) => receiver.requests.filter((request) => request.path === path);
const disabledEventsFor = (endpointId: string) =>
  payments.events.filter(
    (event: any) =>
      event.type === 'webhook_endpoint.disabled' && event.data?.object?.id === endpointId,
  );

describe('disabling a persistently failing endpoint', () => {
  it('when every attempt fails for DISABLE_AFTER_FAILING_FOR, then the endpoint is disabled and the event recorded', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    receiver.reply = (request) => (request.path === path ? { status: 500 } : { status: 200 });
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const jobs = [
      eventJob(merchant.id, 'payment.created'),
      eventJob(merchant.id, 'payment.failed'),
    ];

    await service.events.enqueueMany(jobs);

    await waitFor(() => disabledEventsFor(endpoint.id).length === 1, 10_000, 'the disabled event');
    const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });
    expect(fetched.body.status).toBe('disabled');
    expect(disabledEventsFor(endpoint.id)[0]).toEqual({
      type: 'webhook_endpoint.disabled',
      merchant_id: merchant.id,
      mode: 'test',
      data: { object: { ...fetched.body } },
    });
    // Nothing is pending for it any more, and no further attempt reaches the receiver.
    const pending = await queryRows(
      service.databaseUrl,
      "select id from webhooks.deliveries where endpoint_id = $1 and status = 'pending'",
      [endpoint.id],
    );
    expect(pending).toEqual([]);
    const attemptsSoFar = requestsTo(path).length;
    await sleep(600);
    expect(requestsTo(path)).toHaveLength(attemptsSoFar);
    await service.events.enqueue(eventJob(merchant.id, 'payment.created'));
    await sleep(300);
    expect(requestsTo(path)).toHaveLength(attemptsSoFar);
  });

  it('when an endpoint succeeds in between, then the failing clock starts again', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    // Fails, except every third request: never 800 ms without a success.
    receiver.reply = (request) =>
      request.path === path && requestsTo(path).length % 3 !== 0
        ? { status: 500 }
        : { status: 200 };
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });

    for (let i = 0; i < 3; i++) {
      await service.events.enqueue(eventJob(merchant.id, 'payment.created'));
      await sleep(400);
    }
    await waitFor(() => requestsTo(path).length >= 9, 10_000, 'nine attempts');

    const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });
    expect(fetched.body.status).toBe('enabled');
    expect(disabledEventsFor(endpoint.id)).toEqual([]);
  });

  it('when the merchant disables an endpoint, then the disabled event is recorded too, even if payments fails once', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(uniquePath()),
      enabled_events: ['*'],
    });
    payments.failNext = 1;
    const callsBefore = payments.calls;

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: true },
    });

    expect(response.body.status).toBe('disabled');
    await waitFor(() => disabledEventsFor(endpoint.id).length === 1, 5_000, 'the disabled event');
    expect(payments.calls - callsBefore).toBe(2);
    expect(disabledEventsFor(endpoint.id)[0]).toMatchObject({
      merchant_id: merchant.id,
      mode: 'test',
      data: { object: { id: endpoint.id, status: 'disabled', livemode: false } },
    });
  });

  it('when a disabled endpoint is enabled again, then events reach it again', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    receiver.reply = () => ({ status: 200 });
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: true },
    });
    await service.events.enqueue(eventJob(merchant.id, 'payment.created'));
    await sleep(300);
    expect(requestsTo(path)).toHaveLength(0);

    await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: false },
    });
    await service.events.enqueue(eventJob(merchant.id, 'payment.succeeded'));

    await waitFor(() => requestsTo(path).length === 1, 10_000, 'the delivery after enabling');
    expect(JSON.parse(requestsTo(path)[0]!.rawBody).type).toBe('payment.succeeded');
  });
});
