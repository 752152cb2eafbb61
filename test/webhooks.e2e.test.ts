import { createHmac } from 'node:crypto';
import { verifyWebhookSignature } from '@expe/sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { onboardMerchant, startTestPlatform, type TestPlatform } from './support/test-platform.js';
import { freePort, startRedisServer } from './support/redis-server.js';
import { startWebhookReceiver } from './support/webhook-receiver.js';

const card = { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function payOnce(t: TestPlatform, secret: string, amount: number) {
  const payment = await t.api('POST', '/v1/payments', {
    token: secret,
    body: { amount, currency: 'inr' },
  });
  expect(payment.status).toBe(201);
  const confirm = await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
    body: { client_secret: payment.body.client_secret, method: 'card', card },
  });
  expect(confirm.status).toBe(200);
  return payment.body.id as string;
}

describe('webhooks end to end: API → outbox → relay → queue → signed delivery', () => {
  it("when a merchant's payment succeeds, then its events reach the subscribed endpoint, signed", async () => {
    const t = await startTestPlatform();
    cleanups.push(() => t.close());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { key } = await onboardMerchant(t, 'hooks');
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: key.secret,
      body: { url: receiver.url, enabled_events: ['payment.created', 'payment.succeeded'] },
    });
    expect(endpoint.status).toBe(201);
    const secret = endpoint.body.secret as string;

    const paymentId = await payOnce(t, key.secret, 12_345);

    // Both events, in whichever order they arrive: deliveries are not ordered.
    await receiver.waitFor(
      (all) =>
        all.some((r) => r.event.type === 'payment.created') &&
        all.some((r) => r.event.type === 'payment.succeeded'),
    );
    const delivery = receiver.received.find((r) => r.event.type === 'payment.succeeded')!;
    expect(delivery.event.data.object).toMatchObject({
      id: paymentId,
      status: 'succeeded',
      amount: 12_345,
    });
    const header = String(delivery.headers['expe-signature']);
    // The SDK's verifier …
    expect(verifyWebhookSignature(delivery.rawBody, header, secret).id).toBe(delivery.event.id);
    // … and our own HMAC over "t.rawBody", as a receiver in any language would compute it.
    const [, timestamp] = /t=(\d+)/.exec(header)!;
    const expected = createHmac('sha256', secret)
      .update(`${timestamp}.${delivery.rawBody}`)
      .digest('hex');
    expect(header).toContain(`v1=${expected}`);
    expect(delivery.headers['expe-event-id']).toBe(delivery.event.id);
    expect(receiver.received.map((r) => r.event.type).sort()).toEqual([
      'payment.created',
      'payment.succeeded',
    ]);

    // The attempt is logged once the receiver has answered: poll the log briefly.
    const readLog = () =>
      t.api('GET', `/v1/webhook_endpoints/${endpoint.body.id}/deliveries`, { token: key.secret });
    let log = await readLog();
    for (let i = 0; i < 50; i++) {
      if (log.body.data.filter((d: any) => d.outcome === 'succeeded').length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
      log = await readLog();
    }
    expect(log.status).toBe(200);
    expect(log.body.data.map((d: any) => [d.event.type, d.outcome]).sort()).toEqual([
      ['payment.created', 'succeeded'],
      ['payment.succeeded', 'succeeded'],
    ]);
  });

  it('when Redis is down while payments are made, then every event is delivered once it is back', async () => {
    const port = await freePort();
    let redis = await startRedisServer(port);
    cleanups.push(() => Promise.resolve(redis.kill('SIGKILL')));
    const t = await startTestPlatform({ REDIS_URL: `redis://127.0.0.1:${port}` });
    cleanups.push(() => t.close());
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { key } = await onboardMerchant(t, 'outage');
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: key.secret,
      body: { url: receiver.url, enabled_events: ['payment.succeeded'] },
    });
    expect(endpoint.status).toBe(201);

    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    // Money does not depend on Redis: API keys, payments and the ledger keep working.
    const paid = [];
    for (let i = 0; i < 5; i++) paid.push(await payOnce(t, key.secret, 1_000 + i));
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).toHaveLength(0);

    redis = await startRedisServer(port);
    await receiver.waitFor(
      (all) => new Set(all.map((r) => r.event.data.object.id)).size === 5,
      30_000,
    );
    expect(new Set(receiver.received.map((r) => r.event.data.object.id))).toEqual(new Set(paid));
  });
});
