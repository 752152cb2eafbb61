import { createHmac } from 'node:crypto';
import { Queue } from 'bullmq';
import { verifyWebhookSignature } from '@expe/sdk';
import { countRows } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { bullPrefix, eventsQueueName } from '../src/index.js';
import {
  clientOf,
  createEndpoint,
  eventJob,
  expectError,
  fakeDns,
  newMerchant,
  newProjectOf,
  queryRows,
  receiverPerFile,
  servicePerFile,
  sleep,
  testRedisUrl,
  uniquePaths,
  waitFor,
} from './support.js';

const dns = fakeDns({
  'receiver.expe.test': ['127.0.0.1'],
  'rebind.expe.test': ['93.184.216.34'],
});
const service = servicePerFile('webhooks_delivery', {}, { resolveHost: dns });
const call = clientOf(service);
const receiver = receiverPerFile();

/** The requests the receiver got for one endpoint path. */

const uniquePath = uniquePaths('/hooks');

/** Recomputes every v1 the way docs/webhooks.md defines it, independently of the service and SDK. */
function expectedSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

function parseSignatureHeader(header: string) {
  const parts = header.split(',').map((part) => part.split('=') as [string, string]);
  return {
    t: parts.find(([key]) => key === 't')?.[1] ?? '',
    v1: parts.filter(([key]) => key === 'v1').map(([, value]) => value),
  };
}

describe('delivery of a payment event', () => {
  it('when a subscribed event is enqueued as the relay does, then it arrives signed and verifiable', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['payment.succeeded'],
    });
    const job = eventJob(merchant, 'payment.succeeded');

    await service.events.enqueue(job);

    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the webhook');
    const [request] = receiver.requestsTo(path);
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('Expe-Webhooks/1.0');
    expect(request!.headers['expe-event-id']).toBe(job.event.id);
    expect(request!.headers['expe-delivery-id']).toMatch(/^whd_[0-9a-z]{26}$/);
    expect(JSON.parse(request!.rawBody)).toEqual(job.event);
    const header = String(request!.headers['expe-signature']);
    // The SDK verifies it…
    expect(verifyWebhookSignature(request!.rawBody, header, endpoint.secret)).toEqual(job.event);
    // …and so does a plain HMAC, computed here from the raw bytes.
    const { t, v1 } = parseSignatureHeader(header);
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(30);
    expect(v1).toEqual([expectedSignature(endpoint.secret, t, request!.rawBody)]);
  });

  it('when an endpoint subscribes to refund.succeeded only, then it gets nothing else', async () => {
    const merchant = newMerchant();
    const refundsPath = uniquePath();
    const allPath = uniquePath();
    await createEndpoint(call, merchant.test, {
      url: receiver.url(refundsPath),
      enabled_events: ['refund.succeeded'],
    });
    await createEndpoint(call, merchant.test, {
      url: receiver.url(allPath),
      enabled_events: ['*'],
    });
    const types = ['payment.created', 'payment.succeeded', 'refund.succeeded', 'payment.failed'];

    await service.events.enqueueMany(types.map((type) => eventJob(merchant, type)));

    await waitFor(
      () => receiver.requestsTo(allPath).length === types.length,
      10_000,
      'all four events',
    );
    await sleep(300);
    const received = receiver
      .requestsTo(refundsPath)
      .map((request) => JSON.parse(request.rawBody).type);
    expect(received).toEqual(['refund.succeeded']);
  });

  it("when an event is for another merchant, another of the merchant's projects, another mode or no merchant, then no endpoint gets it", async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    await createEndpoint(call, merchant.test, { url: receiver.url(path), enabled_events: ['*'] });
    const control = eventJob(merchant, 'payment.created');
    const others = [
      eventJob(newMerchant(), 'payment.created'),
      eventJob(newProjectOf(merchant.id), 'payment.created'),
      eventJob(merchant, 'payment.created', { mode: 'live' }),
      eventJob(null, 'transfer.completed'),
    ];

    await service.events.enqueueMany([...others, control]);

    await waitFor(() => receiver.requestsTo(path).length >= 1, 10_000, 'the control event');
    await sleep(300);
    expect(receiver.requestsTo(path).map((request) => request.headers['expe-event-id'])).toEqual([
      control.event.id,
    ]);
    const walletOnly = others[3]!.event.id;
    expect(await countRows(service.databaseUrl, 'webhooks.events', `id = '${walletOnly}'`)).toBe(0);
  });

  it("when a merchant's event comes without a project (queued before projects), then it fails at once and reaches no endpoint", async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    await createEndpoint(call, merchant.test, { url: receiver.url(path), enabled_events: ['*'] });
    const { project_id: _dropped, ...legacy } = eventJob(merchant, 'payment.created');
    const queue = new Queue(eventsQueueName, {
      connection: { url: testRedisUrl },
      prefix: bullPrefix(service.redisPrefix),
    });

    await queue.add(legacy.event.type, legacy, { jobId: legacy.event.id, attempts: 5 });

    await waitFor(
      async () => (await queue.getJob(legacy.event.id))?.finishedOn !== undefined,
      10_000,
      'the legacy job to finish',
    );
    const job = await queue.getJob(legacy.event.id);
    await queue.close();
    expect({ attemptsMade: job?.attemptsMade, failedReason: job?.failedReason }).toEqual({
      attemptsMade: 1,
      failedReason: expect.stringContaining('no project_id'),
    });
    expect(
      await countRows(service.databaseUrl, 'webhooks.events', `id = '${legacy.event.id}'`),
    ).toBe(0);
    expect(receiver.requestsTo(path)).toEqual([]);
  });

  it('when an event created before the endpoint existed is fanned out late, then the endpoint does not get it (as in Stripe); an event of its time does', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    await createEndpoint(call, merchant.test, { url: receiver.url(path), enabled_events: ['*'] });
    // A backlog: the event happened a minute ago, the relay hands it over only now.
    const before = eventJob(merchant, 'payment.succeeded', {
      created: Math.floor(Date.now() / 1000) - 60,
    });
    const after = eventJob(merchant, 'payment.succeeded');

    await service.events.enqueueMany([before, after]);

    await waitFor(() => receiver.requestsTo(path).length >= 1, 10_000, 'the event of its time');
    // The fan-out stores an event and its deliveries in one transaction: once the event is
    // stored, its deliveries are all there.
    await waitFor(
      async () =>
        (await countRows(service.databaseUrl, 'webhooks.events', `id = '${before.event.id}'`)) ===
        1,
      10_000,
      'the earlier event stored',
    );
    expect(
      await countRows(
        service.databaseUrl,
        'webhooks.deliveries',
        `event_id = '${before.event.id}'`,
      ),
    ).toBe(0);
    expect(receiver.requestsTo(path).map((request) => request.headers['expe-event-id'])).toEqual([
      after.event.id,
    ]);
  });

  it('when the same event is fanned out twice, then it is delivered once', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    await createEndpoint(call, merchant.test, { url: receiver.url(path), enabled_events: ['*'] });
    const job = eventJob(merchant, 'payment.created');
    await service.events.enqueue(job);
    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the first delivery');

    // The relay sends it again, once while BullMQ still keeps the job and once after it is gone.
    await service.events.enqueue(job);
    const queue = new Queue(eventsQueueName, {
      connection: { url: testRedisUrl },
      prefix: bullPrefix(service.redisPrefix),
    });
    await waitFor(async () => (await queue.getJob(job.event.id))?.finishedOn !== undefined);
    await queue.remove(job.event.id);
    await queue.close();
    await service.events.enqueue(job);
    await sleep(500);

    expect(receiver.requestsTo(path)).toHaveLength(1);
    expect(
      await countRows(service.databaseUrl, 'webhooks.deliveries', `event_id = '${job.event.id}'`),
    ).toBe(1);
  });

  it('when the URL uses a host name, then the vetted address is called with the name as Host', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    await createEndpoint(call, merchant.test, {
      url: `http://receiver.expe.test:${receiver.port}${path}`,
      enabled_events: ['*'],
    });

    await service.events.enqueue(eventJob(merchant, 'payment.created'));

    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the webhook');
    expect(receiver.requestsTo(path)[0]!.headers.host).toBe(`receiver.expe.test:${receiver.port}`);
  });

  it('when DNS changes to a private address after registration, then the attempt is refused at connection time', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: `http://rebind.expe.test:${receiver.port}${path}`,
      enabled_events: ['*'],
    });
    dns.table['rebind.expe.test'] = ['10.0.0.1'];
    const job = eventJob(merchant, 'payment.created');

    await service.events.enqueue(job);

    let attempts: any[] = [];
    await waitFor(async () => {
      const log = await call('GET', `/v1/webhook_endpoints/${endpoint.id}/deliveries`, {
        as: merchant.test,
      });
      attempts = log.body.data;
      return attempts.length >= 1;
    });
    expect(attempts.at(-1)).toMatchObject({
      attempt: 1,
      outcome: 'failed_attempt',
      status_code: null,
      error: expect.stringContaining('SSRF guard: rebind.expe.test resolves to a private'),
    });
    expect(receiver.requestsTo(path)).toHaveLength(0);
  });
});

describe('POST /v1/webhook_endpoints/:id/test', () => {
  it('when a test is sent, then a signed webhook_endpoint.test arrives even if the endpoint filters events', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['refund.succeeded'],
    });

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, {
      as: merchant.test,
    });

    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^whd_/),
      object: 'webhook_delivery',
      endpoint: endpoint.id,
      event: { id: expect.stringMatching(/^evt_/), type: 'webhook_endpoint.test' },
      status: 'pending',
      attempts: 0,
      next_attempt: expect.any(Number),
      manual: true,
      livemode: false,
      created: expect.any(Number),
    });
    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the test webhook');
    const [request] = receiver.requestsTo(path);
    const event = verifyWebhookSignature<any>(
      request!.rawBody,
      String(request!.headers['expe-signature']),
      endpoint.secret,
    );
    expect(event).toMatchObject({
      id: response.body.event.id,
      object: 'event',
      type: 'webhook_endpoint.test',
      livemode: false,
      data: { object: { id: endpoint.id, object: 'webhook_endpoint' } },
    });
    expect(event.data.object).not.toHaveProperty('secret');
    expect(request!.headers['expe-delivery-id']).toBe(response.body.id);
  });

  it('when the endpoint is disabled, then a test is a 409 and nothing is queued', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(uniquePath()),
      enabled_events: ['*'],
    });
    await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: true },
    });

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, {
      as: merchant.test,
    });

    expectError(response, 409, 'resource_conflict');
    expect(
      await countRows(service.databaseUrl, 'webhooks.deliveries', `endpoint_id = '${endpoint.id}'`),
    ).toBe(0);
  });

  it('when the test request carries a body, then unknown fields are refused', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(uniquePath()),
      enabled_events: ['*'],
    });

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, {
      as: merchant.test,
      body: { type: 'payment.succeeded' },
    });

    expectError(response, 400, 'parameter_unknown', 'type');
  });
});

describe('GET /v1/webhook_endpoints/:id/deliveries', () => {
  it('when a receiver answers, then the attempt log shows status, latency and a 1 KB excerpt', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    // 1023 ASCII bytes then "é" (2 bytes): the cut at 1024 bytes must not split the character.
    const reply = `${'a'.repeat(1023)}é${'b'.repeat(4000)}`;
    receiver.reply = (request) =>
      request.path === path ? { status: 202, body: reply } : { status: 200, body: 'ok' };
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const job = eventJob(merchant, 'payment.succeeded');

    await service.events.enqueue(job);
    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the webhook');
    let log: any;
    await waitFor(async () => {
      log = await call('GET', `/v1/webhook_endpoints/${endpoint.id}/deliveries`, {
        as: merchant.test,
      });
      return log.body.data.length === 1;
    });
    receiver.reply = () => ({ status: 200, body: 'ok' });

    expect(log.body).toEqual({
      object: 'list',
      has_more: false,
      data: [
        {
          id: expect.stringMatching(/^wha_[0-9a-z]{26}$/),
          object: 'webhook_delivery_attempt',
          delivery: receiver.requestsTo(path)[0]!.headers['expe-delivery-id'],
          endpoint: endpoint.id,
          event: { id: job.event.id, type: 'payment.succeeded' },
          attempt: 1,
          url: receiver.url(path),
          outcome: 'succeeded',
          status_code: 202,
          latency_ms: expect.any(Number),
          response_excerpt: 'a'.repeat(1023),
          error: null,
          next_retry: null,
          livemode: false,
          created: expect.any(Number),
        },
      ],
    });
  });

  it('when filtered by event and paged, then it shows that event only, newest first', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const jobs = [1, 2, 3].map(() => eventJob(merchant, 'payment.created'));
    await service.events.enqueueMany(jobs);
    await waitFor(() => receiver.requestsTo(path).length === 3, 10_000, 'three webhooks');
    const logPath = `/v1/webhook_endpoints/${endpoint.id}/deliveries`;
    await waitFor(async () => {
      const all = await call('GET', logPath, { as: merchant.test });
      return all.body.data.length === 3;
    });

    const one = await call('GET', `${logPath}?event=${jobs[1]!.event.id}`, { as: merchant.test });
    const page = await call('GET', `${logPath}?limit=2`, { as: merchant.test });
    const rest = await call('GET', `${logPath}?limit=2&starting_after=${page.body.data[1].id}`, {
      as: merchant.test,
    });
    const bad = await call('GET', `${logPath}?event=pay_1`, { as: merchant.test });

    expect(one.body.data.map((attempt: any) => attempt.event.id)).toEqual([jobs[1]!.event.id]);
    expect(page.body.has_more).toBe(true);
    expect(rest.body.data).toHaveLength(1);
    const ids = [...page.body.data, ...rest.body.data].map((attempt: any) => attempt.id);
    expect(ids).toEqual([...ids].sort().reverse());
    expectError(bad, 400, 'parameter_invalid', 'event');
  });
});

describe('POST /v1/webhook_endpoints/:id/redeliver', () => {
  it('when an event is redelivered, then the same event arrives again as a new delivery', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const job = eventJob(merchant, 'payment.succeeded');
    await service.events.enqueue(job);
    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the first delivery');

    const response = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/redeliver`, {
      as: merchant.test,
      body: { event: job.event.id },
    });

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      object: 'webhook_delivery',
      event: { id: job.event.id, type: 'payment.succeeded' },
      manual: true,
      status: 'pending',
    });
    await waitFor(() => receiver.requestsTo(path).length === 2, 10_000, 'the redelivery');
    const [first, second] = receiver.requestsTo(path);
    expect(second!.rawBody).toBe(first!.rawBody);
    expect(second!.headers['expe-event-id']).toBe(job.event.id);
    expect(second!.headers['expe-delivery-id']).toBe(response.body.id);
    expect(second!.headers['expe-delivery-id']).not.toBe(first!.headers['expe-delivery-id']);
  });

  it("when the event is unknown or another merchant's, then it is a 404 on event", async () => {
    const merchant = newMerchant();
    const other = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(uniquePath()),
      enabled_events: ['*'],
    });
    const otherPath = uniquePath();
    await createEndpoint(call, other.test, { url: receiver.url(otherPath), enabled_events: ['*'] });
    const othersEvent = eventJob(other, 'payment.created');
    await service.events.enqueue(othersEvent);
    await waitFor(
      () => receiver.requestsTo(otherPath).length === 1,
      10_000,
      "the other merchant's event",
    );

    const unknown = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/redeliver`, {
      as: merchant.test,
      body: { event: 'evt_01kb3v4y7m9q2x8c5d6e7f8g9h' },
    });
    const foreign = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/redeliver`, {
      as: merchant.test,
      body: { event: othersEvent.event.id },
    });
    const missing = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/redeliver`, {
      as: merchant.test,
      body: {},
    });

    expectError(unknown, 404, 'resource_missing', 'event');
    expectError(foreign, 404, 'resource_missing', 'event');
    expectError(missing, 400, 'parameter_missing', 'event');
    expect(
      await countRows(service.databaseUrl, 'webhooks.deliveries', `endpoint_id = '${endpoint.id}'`),
    ).toBe(0);
  });
});

describe('secret rotation', () => {
  it('when rotated with a grace period, then both secrets sign until it ends, then only the new one', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const rotated = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, {
      as: merchant.test,
      body: { expires_in: 2 },
    });
    const newSecret = String(rotated.body.secret);

    await call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, { as: merchant.test });
    await waitFor(
      () => receiver.requestsTo(path).length === 1,
      10_000,
      'the delivery during the grace period',
    );
    await sleep(2_100);
    await call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, { as: merchant.test });
    await waitFor(() => receiver.requestsTo(path).length === 2, 10_000, 'the delivery after it');

    const [during, after] = receiver.requestsTo(path).map((request) => ({
      ...parseSignatureHeader(String(request.headers['expe-signature'])),
      rawBody: request.rawBody,
      header: String(request.headers['expe-signature']),
    }));
    expect(during!.v1).toEqual([
      expectedSignature(newSecret, during!.t, during!.rawBody),
      expectedSignature(endpoint.secret, during!.t, during!.rawBody),
    ]);
    expect(verifyWebhookSignature(during!.rawBody, during!.header, endpoint.secret)).toBeTruthy();
    expect(verifyWebhookSignature(during!.rawBody, during!.header, newSecret)).toBeTruthy();
    expect(after!.v1).toEqual([expectedSignature(newSecret, after!.t, after!.rawBody)]);
    expect(() => verifyWebhookSignature(after!.rawBody, after!.header, endpoint.secret)).toThrow(
      /No signature matches/,
    );
  });
});

describe('observability', () => {
  it('when the relay passes a traceparent, then the attempt runs in that trace', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: receiver.url(path),
      enabled_events: ['*'],
    });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const job = eventJob(merchant, 'payment.created', {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });

    await service.events.enqueue(job);

    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the webhook');
    await waitFor(
      async () => {
        const rows = await queryRows(
          service.databaseUrl,
          'select trace_id from webhooks.delivery_attempts where endpoint_id = $1',
          [endpoint.id],
        );
        return rows.length === 1 && rows[0]!.trace_id === traceId;
      },
      5_000,
      'the attempt in the relay trace',
    );
  });

  it('when deliveries happened, then /metrics shows them by outcome with queue depth and age', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    await createEndpoint(call, merchant.test, { url: receiver.url(path), enabled_events: ['*'] });
    await service.events.enqueue(eventJob(merchant, 'payment.created'));
    await waitFor(() => receiver.requestsTo(path).length === 1, 10_000, 'the webhook');

    let text = '';
    await waitFor(
      async () => {
        text = await (await fetch(`${service.url}/metrics`)).text();
        return /webhook_deliveries_total\{[^}]*outcome="succeeded"[^}]*\} \d+/.test(text);
      },
      5_000,
      'the delivery counter',
    );

    expect(text).toMatch(/webhook_attempt_duration_seconds_bucket\{/);
    expect(text).toMatch(/webhook_queue_depth\{[^}]*queue="expe-deliveries"[^}]*\} \d+/);
    expect(text).toMatch(/webhook_queue_depth\{[^}]*queue="expe-events"[^}]*\} \d+/);
    expect(text).toMatch(/webhook_queue_oldest_job_age_seconds\{[^}]*queue="expe-events"/);
  });
});
