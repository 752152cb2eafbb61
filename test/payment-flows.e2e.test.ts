import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile } from './support/test-platform.js';
import { webhookReceiverPerFile } from './support/webhook-receiver.js';

// 3-D Secure, manual capture, the test clock and the test helpers through the real gateway, with
// the webhooks a merchant receives for them (issue 13).
const card = (number: string) => ({ number, exp_month: 12, exp_year: 2034, cvc: '123' });
const t = platformPerFile();
const receiver = webhookReceiverPerFile();

describe('payment flows through the gateway', () => {
  it('when a payment passes 3-D Secure, another is captured in part and a third outlives its authorization on the test clock, then the API and the webhooks agree', async () => {
    const merchant = await onboardMerchant(t, 'flows');
    const secret = merchant.key.secret;
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: secret,
      body: {
        url: receiver.url,
        enabled_events: [
          'payment.requires_action',
          'payment.amount_capturable_updated',
          'payment.succeeded',
          'payment.canceled',
        ],
      },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    const create = async (body: Record<string, unknown>) => {
      const response = await t.api('POST', '/v1/payments', {
        token: secret,
        body: { currency: 'inr', ...body },
      });
      expect(response.status, response.text).toBe(201);
      return response.body;
    };
    const confirm = (payment: any, number: string) =>
      t.api('POST', `/v1/payments/${payment.id}/confirm`, {
        body: { client_secret: payment.client_secret, method: 'card', card: card(number) },
      });

    // 3-D Secure: the checkout is sent to the hosted challenge page, which completes it.
    const challenged = await create({ amount: 10_000 });
    const action = await confirm(challenged, '4000002500003155');
    expect(action.body.status).toBe('requires_action');
    const url = new URL(action.body.next_action.redirect_to_url.url);
    expect(url.pathname).toBe(`/pay/${challenged.id}/authenticate`);
    expect(url.hash).toBe(`#${challenged.client_secret}`);
    const authenticated = await t.api('POST', `/v1/payments/${challenged.id}/authenticate`, {
      body: { client_secret: challenged.client_secret, outcome: 'complete' },
    });
    expect(authenticated.body.status).toBe('succeeded');

    // Manual capture, in part.
    const held = await create({ amount: 20_000, capture_method: 'manual' });
    expect((await confirm(held, '4242424242424242')).body).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 20_000,
    });
    const tooMuch = await t.api('POST', `/v1/payments/${held.id}/capture`, {
      token: secret,
      body: { amount_to_capture: 20_001 },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({
      code: 'amount_to_capture_invalid',
      param: 'amount_to_capture',
    });
    const captured = await t.api('POST', `/v1/payments/${held.id}/capture`, {
      token: secret,
      body: { amount_to_capture: 15_000 },
    });
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 15_000 });

    // An authorization nobody captures is canceled after 7 days of the project clock.
    const forgotten = await create({ amount: 5_000, capture_method: 'manual' });
    await confirm(forgotten, '4242424242424242');
    const clock = await t.api('POST', '/v1/test_helpers/clock/advance', {
      token: secret,
      body: { seconds: 7 * 24 * 3600 },
    });
    expect(clock.status, clock.text).toBe(200);
    const expired = await t.api('GET', `/v1/payments/${forgotten.id}`, { token: secret });
    expect(expired.body.status).toBe('canceled');

    await receiver.waitFor(
      (all) => all.filter((hook) => hook.event.type === 'payment.canceled').length >= 1,
    );
    const seen = (type: string) =>
      receiver.received
        .filter((hook) => hook.event.type === type)
        .map((hook) => hook.event.data.object.id)
        .sort();
    expect(seen('payment.requires_action')).toEqual([challenged.id]);
    expect(seen('payment.amount_capturable_updated')).toEqual([held.id, forgotten.id].sort());
    expect(seen('payment.succeeded')).toEqual([challenged.id, held.id].sort());
    expect(seen('payment.canceled')).toEqual([forgotten.id]);
  });

  it('when test helpers are called with a live key, then 404; with the test key, reset empties the test lists', async () => {
    const merchant = await onboardMerchant(t, 'helpers');
    const live = await t.api('POST', `/v1/projects/${merchant.project.id}/api_keys`, {
      token: merchant.token,
      body: { name: 'live server', mode: 'live' },
    });
    expect(live.status, live.text).toBe(201);
    const payment = await t.api('POST', '/v1/payments', {
      token: merchant.key.secret,
      body: { amount: 1_000, currency: 'inr' },
    });
    expect(payment.status).toBe(201);

    const pending = await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
      body: {
        client_secret: payment.body.client_secret,
        method: 'upi',
        upi: { vpa: 'pending@expe' },
      },
    });
    expect(pending.body.status).toBe('processing');
    const liveComplete = await t.api(
      'POST',
      `/v1/test_helpers/payments/${payment.body.id}/complete`,
      { token: live.body.secret, body: { outcome: 'succeeded' } },
    );
    const completed = await t.api('POST', `/v1/test_helpers/payments/${payment.body.id}/complete`, {
      token: merchant.key.secret,
      body: { outcome: 'succeeded' },
    });
    expect(liveComplete.status).toBe(404);
    expect(completed.body).toMatchObject({ status: 'succeeded', amount_received: 1_000 });

    const liveClock = await t.api('GET', '/v1/test_helpers/clock', { token: live.body.secret });
    const liveReset = await t.api('POST', '/v1/test_helpers/reset', { token: live.body.secret });
    const anonymous = await t.api('GET', '/v1/test_helpers/clock');
    const reset = await t.api('POST', '/v1/test_helpers/reset', { token: merchant.key.secret });
    const list = await t.api('GET', '/v1/payments', { token: merchant.key.secret });

    expect(liveClock.status).toBe(404);
    expect(liveReset.status).toBe(404);
    expect(anonymous.status).toBe(401);
    expect(reset.status, reset.text).toBe(200);
    expect(list.body.data).toEqual([]);
  });
});
