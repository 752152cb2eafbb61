import { Queue } from 'bullmq';
import { openDatabase } from '@expe/server-kit';
import { createTestDatabase, createTestRedisPrefix } from '@expe/testing';
import { describe, expect, it } from 'vitest';
import { requeueOverdueDeliveries } from '../src/domain/requeue-overdue-deliveries.js';
import {
  bullPrefix,
  deliveriesQueueName,
  loadWebhooksConfig,
  startWebhooks,
  startWebhooksWorker,
} from '../src/index.js';
import { createDeliveryQueue } from '../src/queue.js';
import {
  apiClient,
  createEndpoint,
  eventJob,
  newMerchant,
  queryRows,
  startReceiver,
  startTestService,
  testEnv,
  testRedisUrl,
  waitFor,
} from './support.js';

describe('graceful shutdown', () => {
  it('when the service stops during an attempt, then the attempt finishes and is recorded first', async () => {
    const service = await startTestService('webhooks_shutdown');
    const receiver = await startReceiver(() => ({ status: 200, body: 'ok', delayMs: 700 }));
    try {
      const merchant = newMerchant();
      const endpoint = await createEndpoint(apiClient(service.url), merchant.test, {
        url: receiver.url('/slow'),
        enabled_events: ['*'],
      });
      await service.events.enqueue(eventJob(merchant, 'payment.created'));
      await receiver.waitForRequests(1);

      await service.close();

      const attempts = await queryRows(
        service.databaseUrl,
        'select outcome, status_code from webhooks.delivery_attempts where endpoint_id = $1',
        [endpoint.id],
      );
      expect(attempts).toEqual([{ outcome: 'succeeded', status_code: 200 }]);
    } finally {
      await receiver.close();
      await service.stop();
    }
  });
});

describe('the sweep for deliveries that lost their job', () => {
  it('when Redis lost a pending delivery job, then the sweep queues it again and it is delivered once', async () => {
    const database = await createTestDatabase('webhooks_sweep');
    const redis = createTestRedisPrefix('webhooks_sweep');
    const receiver = await startReceiver();
    // The API alone first: the delivery stays queued while its job is taken away.
    const api = await startWebhooks(
      loadWebhooksConfig(testEnv(database.url, redis.prefix, { RUN_WORKER: 'false' })),
    );
    const deliveries = createDeliveryQueue(testRedisUrl, redis.prefix);
    const handle = openDatabase({ url: database.url });
    let worker: Awaited<ReturnType<typeof startWebhooksWorker>> | undefined;
    try {
      const merchant = newMerchant();
      const call = apiClient(api.url);
      const endpoint = await createEndpoint(call, merchant.test, {
        url: receiver.url('/swept'),
        enabled_events: ['*'],
      });
      const test = await call('POST', `/v1/webhook_endpoints/${endpoint.id}/test`, {
        as: merchant.test,
      });
      const queue = new Queue(deliveriesQueueName, {
        connection: { url: testRedisUrl },
        prefix: bullPrefix(redis.prefix),
      });
      const [job] = await queue.getJobs(['wait', 'delayed']);
      await job!.remove();
      expect(await queue.count()).toBe(0);

      const looked = await requeueOverdueDeliveries(
        { db: handle.db, scheduler: deliveries },
        { now: new Date(), graceMs: 0, limit: 10 },
      );
      // A second sweep finds the job queued and leaves it alone.
      await requeueOverdueDeliveries(
        { db: handle.db, scheduler: deliveries },
        { now: new Date(), graceMs: 0, limit: 10 },
      );
      expect(looked).toBe(1);
      expect(await queue.count()).toBe(1);
      await queue.close();

      worker = await startWebhooksWorker(loadWebhooksConfig(testEnv(database.url, redis.prefix)));
      await receiver.waitForRequests(1);
      await waitFor(async () => {
        const [row] = await queryRows<{ status: string }>(
          database.url,
          'select status from webhooks.deliveries where id = $1',
          [test.body.id],
        );
        return row?.status === 'succeeded';
      });
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.requests[0]!.headers['expe-delivery-id']).toBe(test.body.id);
    } finally {
      await worker?.close();
      await deliveries.close();
      await handle.close();
      await api.close();
      await receiver.close();
      await redis.cleanup();
      await database.drop();
    }
  });
});
