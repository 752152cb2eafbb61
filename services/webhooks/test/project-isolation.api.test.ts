import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRedis,
  prefixedChannel,
  realtimeChannels,
  type Principal,
  type Redis,
} from '@expe/server-kit';
import {
  clientOf,
  createEndpoint,
  eventJob,
  expectError,
  newMerchant,
  newProjectOf,
  queryRows,
  receiverPerFile,
  servicePerFile,
  testRedisUrl,
  uniquePaths,
  waitFor,
  type TestMerchant,
} from './support.js';

// A project is a sandbox (issue 19): two projects of ONE merchant see nothing of each other's
// endpoints, deliveries or events, as two merchants never did.
const service = servicePerFile('webhooks_project_isolation');
const call = clientOf(service);
const receiver = receiverPerFile();
let subscriber: Redis;

beforeAll(() => {
  subscriber = createRedis(testRedisUrl);
});

// Before the receiver closes and the service stops (after-hooks run in reverse).
afterAll(() => {
  subscriber?.disconnect();
});

const uniquePath = uniquePaths('/project-hooks');

/** One merchant, two projects, each with an endpoint on the receiver subscribed to everything. */
async function twoProjects() {
  const first = newMerchant();
  const second = newProjectOf(first.id);
  const firstPath = uniquePath();
  const secondPath = uniquePath();
  const firstEndpoint = await createEndpoint(call, first.test, {
    url: receiver.url(firstPath),
    enabled_events: ['*'],
    description: 'project 1',
  });
  const secondEndpoint = await createEndpoint(call, second.test, {
    url: receiver.url(secondPath),
    enabled_events: ['*'],
    description: 'project 2',
  });
  return { first, second, firstEndpoint, secondEndpoint, firstPath, secondPath };
}

/** Two projects, and an event of project 1 delivered to project 1's endpoint. */
async function twoProjectsAfterADelivery() {
  const projects = await twoProjects();
  const job = eventJob(projects.first, 'payment.created');
  await service.events.enqueue(job);
  await waitFor(
    () => receiver.requestsTo(projects.firstPath).length === 1,
    10_000,
    "project 1's delivery",
  );
  return { ...projects, job };
}

/** Every row of every webhooks table, to show that a refused request wrote nothing. */
async function snapshot() {
  const tables = [
    'endpoints',
    'endpoint_secrets',
    'events',
    'deliveries',
    'delivery_attempts',
    'outbox',
  ];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    rows[table] = await queryRows(
      service.databaseUrl,
      `select * from webhooks.${table} order by 1`,
    );
  }
  return rows;
}

/** Each route on one endpoint id, as another project's key would try it. */
function attemptsOn(id: string, as: Principal) {
  return {
    retrieve: () => call('GET', `/v1/webhook_endpoints/${id}`, { as }),
    update: () =>
      call('POST', `/v1/webhook_endpoints/${id}`, {
        as,
        body: { url: receiver.url('/hijacked'), description: 'hijacked' },
      }),
    disable: () => call('POST', `/v1/webhook_endpoints/${id}`, { as, body: { disabled: true } }),
    delete: () => call('DELETE', `/v1/webhook_endpoints/${id}`, { as }),
    rotate_secret: () =>
      call('POST', `/v1/webhook_endpoints/${id}/rotate_secret`, { as, body: { expires_in: 0 } }),
    test: () => call('POST', `/v1/webhook_endpoints/${id}/test`, { as, body: {} }),
    deliveries: () => call('GET', `/v1/webhook_endpoints/${id}/deliveries`, { as }),
  };
}

describe("another project's key on a project's endpoint", () => {
  for (const verb of [
    'retrieve',
    'update',
    'disable',
    'delete',
    'rotate_secret',
    'test',
    'deliveries',
  ] as const) {
    it(`when project 2's key calls ${verb} on project 1's endpoint, then it is 404 and nothing is written`, async () => {
      const { second, firstEndpoint } = await twoProjects();
      const before = await snapshot();

      const response = await attemptsOn(firstEndpoint.id, second.test)[verb]();

      expectError(response, 404, 'resource_missing');
      expect(await snapshot()).toEqual(before);
    });
  }

  it("when project 2's key redelivers project 1's event to project 1's endpoint, then it is 404", async () => {
    const { second, firstEndpoint, job } = await twoProjectsAfterADelivery();
    const before = await snapshot();

    const response = await call('POST', `/v1/webhook_endpoints/${firstEndpoint.id}/redeliver`, {
      as: second.test,
      body: { event: job.event.id },
    });

    expectError(response, 404, 'resource_missing');
    expect(await snapshot()).toEqual(before);
  });

  it("when project 2 redelivers project 1's event to its own endpoint, then it is a 404 on event", async () => {
    const { second, secondEndpoint, job } = await twoProjectsAfterADelivery();
    const before = await snapshot();

    const response = await call('POST', `/v1/webhook_endpoints/${secondEndpoint.id}/redeliver`, {
      as: second.test,
      body: { event: job.event.id },
    });

    expectError(response, 404, 'resource_missing', 'event');
    expect(await snapshot()).toEqual(before);
  });

  it("when project 2 lists its endpoints, then it sees its own and none of project 1's", async () => {
    const { first, second, firstEndpoint, secondEndpoint } = await twoProjects();

    const secondList = await call('GET', '/v1/webhook_endpoints?limit=100', { as: second.test });
    const firstList = await call('GET', '/v1/webhook_endpoints?limit=100', { as: first.test });

    expect(secondList.status).toBe(200);
    expect(secondList.body.data.map((endpoint: { id: string }) => endpoint.id)).toEqual([
      secondEndpoint.id,
    ]);
    expect(firstList.body.data.map((endpoint: { id: string }) => endpoint.id)).toEqual([
      firstEndpoint.id,
    ]);
  });

  it("when project 1's own key acts on its endpoint, then it works (the 404s are the boundary, not a broken route)", async () => {
    const { first, firstEndpoint } = await twoProjects();

    const fetched = await call('GET', `/v1/webhook_endpoints/${firstEndpoint.id}`, {
      as: first.test,
    });

    expect(fetched.status).toBe(200);
    expect(fetched.body.id).toBe(firstEndpoint.id);
  });
});

describe("a project's events", () => {
  it("when an event of project 1 is fanned out, then project 1's endpoint gets it and project 2's never does", async () => {
    const { first, firstEndpoint, secondEndpoint, firstPath, secondPath } = await twoProjects();
    const job = eventJob(first, 'payment.created');

    await service.events.enqueue(job);

    await waitFor(
      () => receiver.requestsTo(firstPath).length === 1,
      10_000,
      "project 1's delivery",
    );
    expect(receiver.requestsTo(firstPath)[0]!.headers['expe-event-id']).toBe(job.event.id);
    // The fan-out writes every delivery of an event in one transaction: it is complete now.
    const deliveries = await queryRows<{ endpoint_id: string }>(
      service.databaseUrl,
      'select endpoint_id from webhooks.deliveries where event_id = $1',
      [job.event.id],
    );
    expect(deliveries.map((row) => row.endpoint_id)).toEqual([firstEndpoint.id]);
    expect(deliveries.map((row) => row.endpoint_id)).not.toContain(secondEndpoint.id);
    expect(receiver.requestsTo(secondPath)).toEqual([]);
  });

  it("when project 1's endpoint is disabled, then its webhook_endpoint.disabled event carries project 1 and goes to project 1's channel only", async () => {
    const { first, second, firstEndpoint, secondEndpoint } = await twoProjects();
    const messages: { channel: string; message: string }[] = [];
    const pattern = prefixedChannel(service.redisPrefix, 'events:*');
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => {
      messages.push({ channel, message });
    });
    await subscriber.psubscribe(pattern);
    const projectChannel = (project: TestMerchant) =>
      prefixedChannel(service.redisPrefix, realtimeChannels.project(project.projectId, 'test'));

    const disabled = await call('POST', `/v1/webhook_endpoints/${firstEndpoint.id}`, {
      as: first.test,
      body: { disabled: true },
    });

    expect(disabled.status).toBe(200);
    const isDisabledEvent = (job: { event: { data: { object: Record<string, unknown> } } }) =>
      job.event.data.object.id === firstEndpoint.id;
    await waitFor(
      async () => (await service.eventLog()).some(isDisabledEvent),
      10_000,
      'the disabled event on the event log',
    );
    const logged = (await service.eventLog()).filter(isDisabledEvent);
    expect(logged).toEqual([
      expect.objectContaining({
        merchant_id: first.id,
        project_id: first.projectId,
        mode: 'test',
        event: expect.objectContaining({ type: 'webhook_endpoint.disabled' }),
      }),
    ]);
    await waitFor(
      () => messages.some((message) => message.message.includes(firstEndpoint.id)),
      10_000,
      'the disabled event on pub/sub',
    );
    const published = messages.filter((message) => message.message.includes(firstEndpoint.id));
    expect(published.map((message) => message.channel)).toEqual([projectChannel(first)]);
    expect(published.map((message) => message.channel)).not.toContain(projectChannel(second));
    // The fan-out of the disabled event (project 2's endpoint subscribes to everything) wrote
    // no delivery for project 2 once the event was stored.
    const eventId = logged[0]!.event.id;
    await waitFor(
      async () =>
        (
          await queryRows(service.databaseUrl, 'select 1 from webhooks.events where id = $1', [
            eventId,
          ])
        ).length === 1,
      10_000,
      'the fan-out of the disabled event',
    );
    const deliveries = await queryRows(
      service.databaseUrl,
      'select 1 from webhooks.deliveries where event_id = $1 and endpoint_id = $2',
      [eventId, secondEndpoint.id],
    );
    expect(deliveries).toEqual([]);
    await subscriber.punsubscribe(pattern);
  });
});
