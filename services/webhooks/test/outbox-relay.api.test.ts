import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventQueue,
  createRedis,
  eventLogQueueName,
  openDatabase,
  relayOutboxBatch,
  type DatabaseHandle,
  type EventQueue,
  type Redis,
} from '@expe/server-kit';
import { describeOutboxRelay } from '@expe/testing/outbox-relay';
import { migrationsFolder } from '../src/app.js';
import { outbox } from '../src/db/schema.js';
import {
  apiClient,
  createEndpoint,
  newMerchant,
  queryRows,
  startTestService,
  testRedisUrl,
  type ApiClient,
  type TestService,
} from './support.js';

// The relay is driven by hand here (RELAY_INTERVAL_MS=0), as if the process had died between
// the commit and the publish, or between the publish and marking the row relayed.
let service: TestService;
let call: ApiClient;
let database: DatabaseHandle;
let publisher: Redis;
let fanOut: EventQueue;
let eventLog: EventQueue;

beforeAll(async () => {
  service = await startTestService('webhooks_outbox_relay', { RELAY_INTERVAL_MS: '0' });
  call = apiClient(service.url);
  database = openDatabase({ url: service.databaseUrl, maxConnections: 2 });
  publisher = createRedis(testRedisUrl);
  fanOut = createEventQueue(testRedisUrl, service.redisPrefix);
  eventLog = createEventQueue(testRedisUrl, service.redisPrefix, eventLogQueueName);
});

afterAll(async () => {
  await Promise.all([fanOut?.close(), eventLog?.close()]);
  publisher?.disconnect();
  await database?.close();
  await service?.stop();
});

// As the service wires it (app.ts): every event onto the fan-out and the event log.
const relayOutbox = (batchSize: number) =>
  relayOutboxBatch(
    {
      db: database.db,
      table: outbox,
      queues: [fanOut, eventLog],
      publisher,
      keyPrefix: service.redisPrefix,
    },
    batchSize,
  );

const unrelayed = () =>
  queryRows<{ id: string }>(
    service.databaseUrl,
    'select id from webhooks.outbox where relayed_at is null order by id',
  );

describe('the webhooks outbox relay', () => {
  it('when no relay ran after the commit, then the event waits in the outbox; when the relay publishes again before marking, then it is still one job', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: 'https://shop.example/hooks',
      enabled_events: ['*'],
    });
    await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { disabled: true },
    });
    const [row] = await unrelayed();
    expect(row?.id).toMatch(/^evt_/);

    expect(await service.eventLog()).toEqual([]);

    expect(await relayOutbox(100)).toBe(1);
    expect(await unrelayed()).toEqual([]);
    expect(await relayOutbox(100)).toBe(0);
    // Published, but the process died before the mark was committed: the row goes out again.
    await queryRows(
      service.databaseUrl,
      'update webhooks.outbox set relayed_at = null where id = $1',
      [row!.id],
    );
    expect(await relayOutbox(100)).toBe(1);
    const published = (await service.eventLog()).filter((job) => job.event.id === row!.id);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      merchant_id: merchant.id,
      project_id: merchant.projectId,
      mode: 'test',
      event: { type: 'webhook_endpoint.disabled', data: { object: { id: endpoint.id } } },
    });
  });
});

describeOutboxRelay({
  table: outbox,
  migrations: { folder: migrationsFolder, schema: 'webhooks' },
  newRow: (id) => ({
    id,
    merchantId: 'mer_outbox',
    projectId: 'prj_outbox',
    mode: 'test',
    type: 'webhook_endpoint.disabled',
    data: { id: 'we_outbox', object: 'webhook_endpoint' },
  }),
});
