import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bullPrefix,
  createBullConnection,
  createEventQueue,
  eventLogQueueName,
  type EventJobData,
  type EventQueue,
} from '@expe/server-kit';
import { testRedisUrl } from '@expe/testing';
import { stackPerFile, waitFor, type TestMerchant } from './support.js';

// The webhooks service publishes the events of its own outbox (webhook_endpoint.*) to
// `expe-event-log`; payments adds each to its project's event log once (ADR 0009).
// The stack stops after this file's afterAll has closed the queues (after-hooks run in reverse).
const stack = stackPerFile('event_log');
let publisher: EventQueue;
let queue: Queue<EventJobData>;
let connection: ReturnType<typeof createBullConnection>;

beforeAll(() => {
  const prefix = stack.env.REDIS_KEY_PREFIX!;
  publisher = createEventQueue(testRedisUrl, prefix, eventLogQueueName);
  connection = createBullConnection(testRedisUrl, 'producer', 'test-event-log');
  connection.on('error', () => {});
  queue = new Queue<EventJobData>(eventLogQueueName, { connection, prefix: bullPrefix(prefix) });
});

afterAll(async () => {
  await publisher?.close();
  await queue?.close();
  connection?.disconnect();
});

const newId = (prefix: string) => `${prefix}_${randomBytes(13).toString('hex')}`;

function disabledEvent(shop: TestMerchant, mode: 'test' | 'live'): EventJobData {
  return {
    event: {
      id: newId('evt'),
      object: 'event',
      type: 'webhook_endpoint.disabled',
      created: Math.floor(Date.now() / 1000),
      livemode: mode === 'live',
      data: {
        object: {
          id: newId('we'),
          object: 'webhook_endpoint',
          url: 'https://shop.example/hooks',
          status: 'disabled',
          livemode: mode === 'live',
        },
      },
    },
    merchant_id: shop.id,
    project_id: shop.projectId,
    mode,
  };
}

async function jobState(id: string): Promise<string | undefined> {
  const job = await queue.getJob(id);
  return job ? job.getState() : undefined;
}

describe('expe-event-log', () => {
  it('when the webhooks service publishes a disabled endpoint, then it is listed with its own id in that project and mode only', async () => {
    const shop = await stack.registerMerchant('Hook Shop');
    const otherProject = await stack.addProject(shop, 'Other');
    const job = disabledEvent(shop, 'live');

    await publisher.enqueue(job);

    const live = await waitFor(
      () => stack.call('GET', '/v1/events?type=webhook_endpoint.*', { as: shop.liveKey }),
      (response) => response.body.data?.length === 1,
    );
    expect(live.body.data).toEqual([job.event]);
    const one = await stack.call('GET', `/v1/events/${job.event.id}`, { as: shop.liveKey });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toEqual(job.event);
    const test = await stack.call('GET', '/v1/events?type=webhook_endpoint.*', {
      as: shop.testKey,
    });
    expect(test.body.data).toEqual([]);
    const other = await stack.call('GET', '/v1/events?type=webhook_endpoint.*', {
      as: otherProject.liveKey,
    });
    expect(other.body.data).toEqual([]);
    const otherOne = await stack.call('GET', `/v1/events/${job.event.id}`, {
      as: otherProject.liveKey,
    });
    expect(otherOne.status).toBe(404);
  });

  it('when the same event is published twice, then the event log holds it once, as first recorded', async () => {
    const shop = await stack.registerMerchant('Twice Shop');
    const job = disabledEvent(shop, 'test');
    await publisher.enqueue(job);
    await waitFor(
      () => jobState(job.event.id),
      (state) => state === 'completed',
    );

    // The queue ignores a second add while it keeps the first job; past that (or after a relay
    // crashed before marking its outbox row) the event arrives again and must change nothing.
    await queue.remove(job.event.id);
    const again = structuredClone(job);
    again.event.data.object.url = 'https://shop.example/changed';
    await publisher.enqueue(again);
    expect(
      await waitFor(
        () => jobState(job.event.id),
        (state) => state === 'completed',
      ),
    ).toBe('completed');

    const listed = await stack.call('GET', '/v1/events?type=webhook_endpoint.*', {
      as: shop.testKey,
    });
    expect(listed.body.data).toEqual([job.event]);
    expect(await stack.count('events', `id = '${job.event.id}'`)).toBe(1);
  });

  it('when a job is not a webhook_endpoint event, then it fails at once and nothing is written', async () => {
    const shop = await stack.registerMerchant('Odd Shop');
    const before = await stack.count('events');
    const job = disabledEvent(shop, 'test');
    job.event.type = 'payment.succeeded';

    await publisher.enqueue(job);

    expect(
      await waitFor(
        () => jobState(job.event.id),
        (state) => state === 'failed',
      ),
    ).toBe('failed');
    expect((await queue.getJob(job.event.id))?.attemptsMade).toBe(1);
    expect(await stack.count('events')).toBe(before);
  });
});
