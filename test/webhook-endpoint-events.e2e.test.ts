import { loadPaymentsConfig, startPayments } from '@expe/payments';
import { testIdentityEnv } from '@expe/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { onboardMerchant, startTestPlatform } from './support/test-platform.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

// The webhooks service records webhook_endpoint.* in its own outbox and relays them through
// queues, to its own fan-out and to the event log payments serves: neither calls the other.
describe('webhook_endpoint events without payments (ADR 0009)', () => {
  it('when payments is down while an endpoint is disabled, then the event reaches subscribed endpoints at once and GET /v1/events once payments is back, with the same id', async () => {
    const t = await startTestPlatform();
    cleanups.push(() => t.close());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { key } = await onboardMerchant(t, 'endpoint-events');
    const watcher = await t.api('POST', '/v1/webhook_endpoints', {
      token: key.secret,
      body: { url: receiver.url, enabled_events: ['webhook_endpoint.disabled'] },
    });
    expect(watcher.status, watcher.text).toBe(201);
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: key.secret,
      body: { url: 'https://shop.example/hooks', enabled_events: ['payment.succeeded'] },
    });
    expect(endpoint.status, endpoint.text).toBe(201);

    const { services } = t.platform;
    const payments = services.payments!;
    await payments.close();

    const disabled = await t.api('POST', `/v1/webhook_endpoints/${endpoint.body.id}`, {
      token: key.secret,
      body: { disabled: true },
    });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.body.status).toBe('disabled');
    await receiver.waitFor((all) => all.some((r) => r.event.type === 'webhook_endpoint.disabled'));
    const delivered = receiver.received.find((r) => r.event.type === 'webhook_endpoint.disabled')!;
    expect(delivered.event.data.object).toMatchObject({
      id: endpoint.body.id,
      status: 'disabled',
    });

    // Payments comes back on its address; the event waited for it in Redis.
    const restarted = await startPayments(
      loadPaymentsConfig({
        ...t.env,
        ...testIdentityEnv('payments'),
        PORT: String(payments.port),
        HOST: '127.0.0.1',
        AUTH_URL: services.auth!.url,
        MERCHANTS_URL: services.merchants!.url,
      }),
    );
    // The platform closes what it started: from now on, the restarted payments.
    payments.close = () => restarted.close();

    const listEvents = () =>
      t.api('GET', '/v1/events?type=webhook_endpoint.*', { token: key.secret });
    // Payments consumes the waiting job once it is up again.
    const events = await vi.waitFor(
      async () => {
        const listed = await listEvents();
        expect(listed.body.data, listed.text).toHaveLength(1);
        return listed;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(events.status, events.text).toBe(200);
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0]).toEqual(delivered.event);
    const one = await t.api('GET', `/v1/events/${delivered.event.id}`, { token: key.secret });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toEqual(delivered.event);
  });
});
