import { describe, expect, it } from 'vitest';
import {
  clientOf,
  createEndpoint,
  eventJob,
  newMerchant,
  queryRows,
  receiverPerFile,
  servicePerFile,
  sleep,
  uniquePaths,
  waitFor,
} from './support.js';

// No payments service runs here: the disabled event goes to the outbox, and from there to
// the event-log queue (which payments consumes) and to this service's own fan-out.
const service = servicePerFile('webhooks_disabling', {
  RETRY_SCHEDULE: '200ms,200ms,200ms,200ms,200ms,200ms',
  DISABLE_AFTER_FAILING_FOR: '800ms',
});
const call = clientOf(service);
const receiver = receiverPerFile();

const uniquePath = uniquePaths('/disabling');
/** The disabled events published to payments' event log (`expe-event-log`) for one endpoint. */
const disabledEventsFor = async (endpointId: string) =>
  (await service.eventLog()).filter(
    (job) =>
      job.event.type === 'webhook_endpoint.disabled' && job.event.data.object.id === endpointId,
  );

/** Waits for the endpoint's one disabled event on the event log and returns it. */
async function publishedDisabledEvent(endpointId: string, timeoutMs: number) {
  await waitFor(
    async () => (await disabledEventsFor(endpointId)).length === 1,
    timeoutMs,
    'the disabled event',
  );
  const [published] = await disabledEventsFor(endpointId);
  return published!;
}

/** The merchant's test mode as a job on the event log names it. */
const testModeOf = (merchant: ReturnType<typeof newMerchant>) => ({
  merchant_id: merchant.id,
  project_id: merchant.projectId,
  mode: 'test',
});

describe('disabling a persistently failing endpoint', () => {
  it('when every attempt fails for DISABLE_AFTER_FAILING_FOR, then the endpoint is disabled and the event recorded', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    receiver.reply = (request) => (request.path === path ? { status: 500 } : { status: 200 });
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const jobs = [eventJob(merchant, 'payment.created'), eventJob(merchant, 'payment.failed')];

    await service.events.enqueueMany(jobs);

    const published = await publishedDisabledEvent(endpoint.id, 10_000);
    const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });
    expect(fetched.body.status).toBe('disabled');
    expect(published).toMatchObject({
      ...testModeOf(merchant),
      event: {
        id: expect.stringMatching(/^evt_/),
        object: 'event',
        type: 'webhook_endpoint.disabled',
        created: expect.any(Number),
        livemode: false,
        data: { object: { ...fetched.body } },
      },
    });
    // Nothing is pending for it any more, and no further attempt reaches the receiver.
    const pending = await queryRows(
      service.databaseUrl,
      "select id from webhooks.deliveries where endpoint_id = $1 and status = 'pending'",
      [endpoint.id],
    );
    expect(pending).toEqual([]);
    const attemptsSoFar = receiver.requestsTo(path).length;
    await sleep(600);
    expect(receiver.requestsTo(path)).toHaveLength(attemptsSoFar);
    await service.events.enqueue(eventJob(merchant, 'payment.created'));
    await sleep(300);
    expect(receiver.requestsTo(path)).toHaveLength(attemptsSoFar);
  });

  it('when an endpoint succeeds in between, then the failing clock starts again', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    // Fails, except every third request: never 800 ms without a success.
    receiver.reply = (request) =>
      request.path === path && receiver.requestsTo(path).length % 3 !== 0
        ? { status: 500 }
        : { status: 200 };
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });

    for (let i = 0; i < 3; i++) {
      await service.events.enqueue(eventJob(merchant, 'payment.created'));
      await sleep(400);
    }
    await waitFor(() => receiver.requestsTo(path).length >= 9, 10_000, 'nine attempts');

    const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });
    expect(fetched.body.status).toBe('enabled');
    expect(await disabledEventsFor(endpoint.id)).toEqual([]);
  });

  it("when the merchant disables an endpoint, then one event with one id goes to the event log and to the merchant's endpoints that subscribe to it", async () => {
    const merchant = newMerchant();
    const watcherPath = uniquePath();
    receiver.reply = () => ({ status: 200 });
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(uniquePath()),
      enabled_events: ['*'],
    });
    await createEndpoint(call, merchant.test, {
      url: receiver.url(watcherPath),
      enabled_events: ['webhook_endpoint.disabled'],
    });

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: true },
    });

    expect(response.body.status).toBe('disabled');
    // Written in the transaction of the change, then relayed once.
    const outbox = await queryRows<{ id: string; type: string }>(
      service.databaseUrl,
      "select id, type from webhooks.outbox where data->>'id' = $1",
      [endpoint.id],
    );
    expect(outbox).toEqual([
      { id: expect.stringMatching(/^evt_/), type: 'webhook_endpoint.disabled' },
    ]);
    const published = await publishedDisabledEvent(endpoint.id, 5_000);
    expect(published).toMatchObject({
      ...testModeOf(merchant),
      event: {
        id: outbox[0]!.id,
        data: { object: { id: endpoint.id, status: 'disabled', livemode: false } },
      },
    });
    await waitFor(
      () => receiver.requestsTo(watcherPath).length === 1,
      5_000,
      'the delivery to the watcher',
    );
    const delivered = JSON.parse(receiver.requestsTo(watcherPath)[0]!.rawBody);
    expect(delivered).toEqual(published.event);
    await waitFor(
      async () =>
        (
          await queryRows(
            service.databaseUrl,
            'select id from webhooks.outbox where id = $1 and relayed_at is not null',
            [outbox[0]!.id],
          )
        ).length === 1,
      5_000,
      'the outbox row marked relayed',
    );

    // Disabling it again changes nothing and records nothing: an event would be written into
    // the outbox in the request's own transaction, so the outbox is checked as soon as it answers
    // (and only outbox rows are ever published).
    const again = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: true },
    });
    expect(again.status, again.text).toBe(200);
    expect(
      await queryRows(
        service.databaseUrl,
        "select id from webhooks.outbox where data->>'id' = $1",
        [endpoint.id],
      ),
    ).toEqual([{ id: outbox[0]!.id }]);
    expect(await disabledEventsFor(endpoint.id)).toHaveLength(1);
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
    await service.events.enqueue(eventJob(merchant, 'payment.created'));
    await sleep(300);
    expect(receiver.requestsTo(path)).toHaveLength(0);

    await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: false },
    });
    await service.events.enqueue(eventJob(merchant, 'payment.succeeded'));

    await waitFor(
      () => receiver.requestsTo(path).length === 1,
      10_000,
      'the delivery after enabling',
    );
    expect(JSON.parse(receiver.requestsTo(path)[0]!.rawBody).type).toBe('payment.succeeded');
  });
});
