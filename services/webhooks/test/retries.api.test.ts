import { describe, expect, it } from 'vitest';
import {
  clientOf,
  createEndpoint,
  eventJob,
  newMerchant,
  queryRows,
  receiverPerFile,
  servicePerFile,
  startReceiver,
  uniquePaths,
  waitFor,
} from './support.js';

// Three retries, 100 ms, 200 ms and 300 ms after each failure (±10% jitter): four attempts.
const schedule = [100, 200, 300];
const service = servicePerFile('webhooks_retries', {
  RETRY_SCHEDULE: '100ms,200ms,300ms',
  DELIVERY_TIMEOUT_MS: '500',
});
const call = clientOf(service);
const receiver = receiverPerFile();

const uniquePath = uniquePaths('/retries');

async function attemptLog(merchant: ReturnType<typeof newMerchant>, endpointId: string) {
  const response = await call('GET', `/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`, {
    as: merchant.test,
  });
  // Oldest first reads more naturally in the assertions.
  return (response.body.data as any[]).reverse();
}

async function deliveryOf(eventId: string) {
  const [row] = await queryRows<{ status: string; attempts: number; next_attempt_at: Date | null }>(
    service.databaseUrl,
    'select status, attempts, next_attempt_at from webhooks.deliveries where event_id = $1',
    [eventId],
  );
  return row;
}

/** An endpoint of `merchant` at `url` that takes every event. */
const endpointAt = (merchant: ReturnType<typeof newMerchant>, url: string) =>
  createEndpoint(call, merchant.test, { url, enabled_events: ['*'] });

/** Waits until the event's delivery has `ended` as it should, then reads the endpoint's attempts. */
async function attemptsOnceDelivery(
  merchant: ReturnType<typeof newMerchant>,
  endpointId: string,
  eventId: string,
  ended: 'succeeded' | 'failed',
) {
  await waitFor(
    async () => (await deliveryOf(eventId))?.status === ended,
    10_000,
    ended === 'succeeded' ? 'success' : 'failure',
  );
  return attemptLog(merchant, endpointId);
}

describe('retries', () => {
  it('when a receiver answers 500 three times then 200, then four attempts are logged and it is delivered', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    receiver.reply = (request) => {
      if (request.path !== path) return { status: 200 };
      return receiver.requestsTo(path).length <= 3
        ? { status: 500, body: 'database is down' }
        : { status: 200, body: 'thanks' };
    };
    const endpoint = await endpointAt(merchant, receiver.url(path));
    const job = eventJob(merchant, 'payment.succeeded');

    await service.events.enqueue(job);

    const log = await attemptsOnceDelivery(merchant, endpoint.id, job.event.id, 'succeeded');
    expect(log.map((attempt) => [attempt.attempt, attempt.outcome, attempt.status_code])).toEqual([
      [1, 'failed_attempt', 500],
      [2, 'failed_attempt', 500],
      [3, 'failed_attempt', 500],
      [4, 'succeeded', 200],
    ]);
    expect(log[0].response_excerpt).toBe('database is down');
    expect(log[0].error).toBe('The endpoint answered HTTP 500');
    expect(log.slice(0, 3).every((attempt) => attempt.next_retry !== null)).toBe(true);
    expect(log[3].next_retry).toBeNull();
    expect(await deliveryOf(job.event.id)).toMatchObject({ attempts: 4, next_attempt_at: null });
    // The same event and delivery every time: receivers dedupe on the event id.
    const requests = receiver.requestsTo(path);
    expect(new Set(requests.map((r) => r.headers['expe-event-id']))).toEqual(
      new Set([job.event.id]),
    );
    expect(new Set(requests.map((r) => r.headers['expe-delivery-id'])).size).toBe(1);
    // Each retry waited for its turn in the schedule, give or take the jitter.
    const gaps = requests
      .slice(1)
      .map((request, i) => request.receivedAt - requests[i]!.receivedAt);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(schedule[i]! * 0.9 - 5));
  });

  it('when a receiver never answers 2xx, then every scheduled attempt is made and the delivery fails', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    receiver.reply = (request) =>
      request.path === path ? { status: 503, body: 'maintenance' } : { status: 200 };
    const endpoint = await endpointAt(merchant, receiver.url(path));
    const job = eventJob(merchant, 'payment.created');

    await service.events.enqueue(job);

    const log = await attemptsOnceDelivery(merchant, endpoint.id, job.event.id, 'failed');
    expect(log.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [1, 'failed_attempt'],
      [2, 'failed_attempt'],
      [3, 'failed_attempt'],
      [4, 'failed'],
    ]);
    expect(log[3].next_retry).toBeNull();
    expect(receiver.requestsTo(path)).toHaveLength(schedule.length + 1);
    const fetched = await call('GET', `/v1/webhook_endpoints/${endpoint.id}`, {
      as: merchant.test,
    });
    // Failing for far less than DISABLE_AFTER_FAILING_FOR (1 h here) keeps it enabled.
    expect(fetched.body.status).toBe('enabled');
  });

  it('when a receiver is slower than the timeout, then the attempt fails as a timeout', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    receiver.reply = (request) =>
      request.path === path && receiver.requestsTo(path).length === 1
        ? { status: 200, delayMs: 1_500 }
        : { status: 200 };
    const endpoint = await endpointAt(merchant, receiver.url(path));
    const job = eventJob(merchant, 'payment.created');

    await service.events.enqueue(job);

    const log = await attemptsOnceDelivery(merchant, endpoint.id, job.event.id, 'succeeded');
    expect(log[0]).toMatchObject({
      attempt: 1,
      outcome: 'failed_attempt',
      status_code: null,
      error: 'No response within 500 ms',
    });
    expect(log[1]).toMatchObject({ attempt: 2, outcome: 'succeeded', status_code: 200 });
  });

  it('when a receiver redirects, then the redirect is not followed and the attempt fails', async () => {
    const merchant = newMerchant();
    const path = uniquePath();
    const target = uniquePath();
    receiver.reply = (request) =>
      request.path === path
        ? { status: 307, headers: { location: receiver.url(target) } }
        : { status: 200 };
    const endpoint = await endpointAt(merchant, receiver.url(path));
    const job = eventJob(merchant, 'payment.created');

    await service.events.enqueue(job);

    const log = await attemptsOnceDelivery(merchant, endpoint.id, job.event.id, 'failed');
    expect(log[0]).toMatchObject({
      outcome: 'failed_attempt',
      status_code: 307,
      error: 'Redirects are not followed (HTTP 307)',
    });
    expect(receiver.requestsTo(target)).toHaveLength(0);
  });

  it('when nothing listens at the URL, then each attempt fails with the connection error', async () => {
    const merchant = newMerchant();
    const closed = await startReceiver();
    const url = closed.url('/gone');
    await closed.close();
    const endpoint = await endpointAt(merchant, url);
    const job = eventJob(merchant, 'payment.created');

    await service.events.enqueue(job);

    const log = await attemptsOnceDelivery(merchant, endpoint.id, job.event.id, 'failed');
    expect(log).toHaveLength(4);
    expect(log[0].error).toContain('ECONNREFUSED');
  });
});
