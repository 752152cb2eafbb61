import { afterAll, describe, expect, it } from 'vitest';
import {
  clientOf,
  createEndpoint,
  eventJob,
  expectError,
  newMerchant,
  queryRows,
  servicePerFile,
  startReceiver,
  waitFor,
  type Receiver,
} from './support.js';

const service = servicePerFile('webhooks_chaos', { WEBHOOK_CHAOS_SEED: 'chaos-test' });
const call = clientOf(service);
const receivers: Receiver[] = [];

// Before the service stops (after-hooks run in reverse).
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  receivers.push(started);
  return started;
}

const eventIdsOf = (receiver: Receiver) =>
  receiver.requests.map((request) => String(request.headers['expe-event-id']));

/**
 * A receiver of its own, and an endpoint of `merchant` there for every event, with the chaos
 * `simulate` asks for.
 */
async function chaoticEndpoint(merchant: ReturnType<typeof newMerchant>, simulate?: object) {
  const hook = await receiver();
  const endpoint = await createEndpoint(call, merchant.test, {
    url: hook.url(),
    enabled_events: ['*'],
    ...(simulate === undefined ? {} : { simulate }),
  });
  return { hook, endpoint };
}

/** Waits until the delivery of the event has succeeded. */
const waitUntilDelivered = (eventId: string) =>
  waitFor(async () => {
    const rows = await queryRows(
      service.databaseUrl,
      "select 1 from webhooks.deliveries where event_id = $1 and status = 'succeeded'",
      [eventId],
    );
    return rows.length === 1;
  });

describe('webhook chaos settings', () => {
  it('when simulate is valid on a test endpoint, then it is stored and shown, and null removes it', async () => {
    const merchant = newMerchant();
    const endpoint = await createEndpoint(call, merchant.test, {
      url: 'http://127.0.0.1:9999/hook',
      enabled_events: ['*'],
      simulate: { duplicate_rate: 0.5, reorder: true },
    });

    expect(endpoint.simulate).toEqual({
      duplicate_rate: 0.5,
      max_delay_ms: 0,
      reorder: true,
      fail_first_attempts: 0,
    });
    const cleared = await call('POST', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
      body: { simulate: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.simulate).toBeUndefined();
  });

  it.each([
    [{ duplicate_rate: 1.5 }, 'simulate[duplicate_rate]'],
    [{ duplicate_rate: -0.1 }, 'simulate[duplicate_rate]'],
    [{ max_delay_ms: 10_001 }, 'simulate[max_delay_ms]'],
    [{ max_delay_ms: 1.5 }, 'simulate[max_delay_ms]'],
    [{ reorder: 'yes' }, 'simulate[reorder]'],
    [{ fail_first_attempts: 6 }, 'simulate[fail_first_attempts]'],
    [{ fail_first_attempts: -1 }, 'simulate[fail_first_attempts]'],
    [{ drop_rate: 0.1 }, 'simulate[drop_rate]'],
  ])(
    'when simulate is %j, then it is 400 naming %s and no endpoint is made',
    async (simulate, param) => {
      const merchant = newMerchant();

      const response = await call('POST', '/v1/webhook_endpoints', {
        as: merchant.test,
        body: { url: 'http://127.0.0.1:9999/hook', enabled_events: ['*'], simulate },
      });

      expect(response.status).toBe(400);
      expect(response.body.error.param).toBe(param);
      const rows = await queryRows(
        service.databaseUrl,
        'select 1 from webhooks.endpoints where merchant_id = $1',
        [merchant.id],
      );
      expect(rows).toHaveLength(0);
    },
  );

  it('when a live endpoint is given simulate, then it is refused naming simulate and nothing is made', async () => {
    const merchant = newMerchant();

    const created = await call('POST', '/v1/webhook_endpoints', {
      as: merchant.live,
      body: {
        url: 'https://hooks.example.com/x',
        enabled_events: ['*'],
        simulate: { reorder: true },
      },
    });
    expectError(created, 400, 'parameter_invalid', 'simulate');
    const rows = await queryRows(
      service.databaseUrl,
      'select 1 from webhooks.endpoints where merchant_id = $1',
      [merchant.id],
    );
    expect(rows).toHaveLength(0);
  });
});

describe('deliveries under chaos (real receiver)', () => {
  it('when fail_first_attempts is 2, then attempts 1 and 2 fail without reaching the receiver and attempt 3 delivers the event once', async () => {
    const merchant = newMerchant();
    const { hook } = await chaoticEndpoint(merchant, { fail_first_attempts: 2 });
    const job = eventJob(merchant, 'payment.succeeded');

    await service.events.enqueue(job);
    await hook.waitForRequests(1);
    await waitUntilDelivered(job.event.id);

    expect(eventIdsOf(hook)).toEqual([job.event.id]);
    const attempts = await queryRows<{ attempt: number; outcome: string; error: string | null }>(
      service.databaseUrl,
      'select attempt, outcome, error from webhooks.delivery_attempts where event_id = $1 order by attempt',
      [job.event.id],
    );
    expect(attempts.map((row) => [row.attempt, row.outcome])).toEqual([
      [1, 'failed_attempt'],
      [2, 'failed_attempt'],
      [3, 'succeeded'],
    ]);
    expect(attempts[0]!.error).toMatch(/simulated failure/);
  });

  it('when duplicate_rate is 1, then every event reaches the receiver twice with the same event id and a valid signature', async () => {
    const merchant = newMerchant();
    const { hook } = await chaoticEndpoint(merchant, { duplicate_rate: 1 });
    const jobs = [eventJob(merchant, 'payment.created'), eventJob(merchant, 'payment.succeeded')];

    for (const job of jobs) await service.events.enqueue(job);
    await hook.waitForRequests(4);

    const ids = eventIdsOf(hook);
    for (const job of jobs) expect(ids.filter((id) => id === job.event.id)).toHaveLength(2);
    expect(new Set(hook.requests.map((request) => request.headers['expe-signature'])).size).toBe(2);
  });

  it('when duplicate_rate is 0 (no simulate), then each event arrives exactly once', async () => {
    const merchant = newMerchant();
    const { hook } = await chaoticEndpoint(merchant);
    const job = eventJob(merchant, 'payment.created');

    await service.events.enqueue(job);
    await hook.waitForRequests(1);
    await waitUntilDelivered(job.event.id);

    expect(eventIdsOf(hook)).toEqual([job.event.id]);
  });

  it('when reorder is on, then events sent in order arrive in the order the seed decides, not the order they were made', async () => {
    const merchant = newMerchant();
    const { hook } = await chaoticEndpoint(merchant, { reorder: true });
    // Fixed event ids: with the seed they fix each first attempt's offset in the 1 s window.
    const ids = ['g', 'h', 'i', 'j'].map((letter) => `evt_${letter.repeat(26)}`);
    const { reorderOffsetMs } = await import('../src/domain/webhook-chaos.js');
    const simulate = { duplicate_rate: 0, max_delay_ms: 0, reorder: true, fail_first_attempts: 0 };
    const offsets = ids.map((id) => reorderOffsetMs(simulate, 'chaos-test', id));
    const expected = [...ids].sort((x, y) => offsets[ids.indexOf(x)]! - offsets[ids.indexOf(y)]!);
    expect(expected).toEqual([...ids].reverse());

    for (const id of ids) {
      await service.events.enqueue(eventJob(merchant, 'payment.created', { id }));
    }
    await hook.waitForRequests(4);

    expect(eventIdsOf(hook)).toEqual(expected);
  });

  it('when max_delay_ms is set, then an attempt waits the drawn delay before it is sent', async () => {
    const merchant = newMerchant();
    const { hook, endpoint } = await chaoticEndpoint(merchant, { max_delay_ms: 1200 });
    const { planAttempt } = await import('../src/domain/webhook-chaos.js');
    const id = `evt_${'f'.repeat(26)}`;
    const { delayMs } = planAttempt(
      { duplicate_rate: 0, max_delay_ms: 1200, reorder: false, fail_first_attempts: 0 },
      'chaos-test',
      { eventId: id, endpointId: endpoint.id, attempt: 1 },
    );
    const enqueuedAt = Date.now();

    await service.events.enqueue(eventJob(merchant, 'payment.created', { id }));
    const [request] = await hook.waitForRequests(1);

    expect(request!.receivedAt - enqueuedAt).toBeGreaterThanOrEqual(delayMs);
  });
});
