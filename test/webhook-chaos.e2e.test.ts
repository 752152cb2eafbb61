import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile } from './support/test-platform.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };

const t = platformPerFile({ RETRY_SCHEDULE: '200ms,300ms,500ms' });

describe('webhook chaos through the gateway (test mode only)', () => {
  it('when an endpoint simulates duplicates and a failed first attempt, then a receiver that dedupes by event id sees each event once, after a retry', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const { key } = await onboardMerchant(t, 'chaos');
      const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
        token: key.secret,
        body: {
          url: receiver.url,
          enabled_events: ['payment.created', 'payment.succeeded'],
          simulate: { duplicate_rate: 1, fail_first_attempts: 1, max_delay_ms: 50 },
        },
      });
      expect(endpoint.status).toBe(201);
      expect(endpoint.body.simulate).toMatchObject({ duplicate_rate: 1, fail_first_attempts: 1 });

      const payment = await t.api('POST', '/v1/payments', {
        token: key.secret,
        body: { amount: 4_200, currency: 'inr' },
      });
      await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
        body: { client_secret: payment.body.client_secret, method: 'card', card },
      });

      // Two events, each delivered twice (duplicate_rate 1) once its first attempt has failed.
      await receiver.waitFor((all) => all.length >= 4);
      const ids = receiver.received.map((r) => r.event.id);
      const unique = [...new Set(ids)];
      expect(unique).toHaveLength(2);
      for (const id of unique) expect(ids.filter((seen) => seen === id)).toHaveLength(2);
      expect(new Set(receiver.received.map((r) => r.event.type))).toEqual(
        new Set(['payment.created', 'payment.succeeded']),
      );

      const log = await t.api(
        'GET',
        `/v1/webhook_endpoints/${endpoint.body.id}/deliveries?limit=20`,
        { token: key.secret },
      );
      const outcomes = log.body.data.map((attempt: any) => [attempt.attempt, attempt.outcome]);
      expect(outcomes).toContainEqual([1, 'failed_attempt']);
      expect(outcomes).toContainEqual([2, 'succeeded']);
    } finally {
      await receiver.close();
    }
  });

  it('when a live key sends simulate, then it is 400 naming simulate; a bad field is 400 naming it', async () => {
    const { token, project, key } = await onboardMerchant(t, 'chaoslive');
    const live = await t.api('POST', `/v1/projects/${project.id}/api_keys`, {
      token,
      body: { name: 'live server', mode: 'live' },
    });
    expect(live.status).toBe(201);

    const refused = await t.api('POST', '/v1/webhook_endpoints', {
      token: live.body.secret,
      body: {
        url: 'https://hooks.example.com/expe',
        enabled_events: ['*'],
        simulate: { reorder: true },
      },
    });
    const invalid = await t.api('POST', '/v1/webhook_endpoints', {
      token: key.secret,
      body: {
        url: 'http://127.0.0.1:9/hook',
        enabled_events: ['*'],
        simulate: { duplicate_rate: 2 },
      },
    });

    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'parameter_invalid', param: 'simulate' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.param).toBe('simulate[duplicate_rate]');
    const list = await t.api('GET', '/v1/webhook_endpoints', { token: key.secret });
    expect(list.body.data).toHaveLength(0);
  });

  it('when an endpoint create is retried through the gateway with its Idempotency-Key, then the first answer is replayed', async () => {
    const { key } = await onboardMerchant(t, 'chaosidem');
    const idempotencyKey = randomUUID();
    const send = () =>
      t.api('POST', '/v1/webhook_endpoints', {
        token: key.secret,
        headers: { 'idempotency-key': idempotencyKey },
        body: { url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] },
      });

    const first = await send();
    const again = await send();

    expect(first.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    const list = await t.api('GET', '/v1/webhook_endpoints', { token: key.secret });
    expect(list.body.data).toHaveLength(1);
  });
});
