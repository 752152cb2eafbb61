import { describe, expect, it } from 'vitest';
import { onboardMerchant, platformPerFile } from './support/test-platform.js';
import { webhookReceiverPerFile } from './support/webhook-receiver.js';

// Where the merchant's money goes, through the real gateway: fees and pending funds, the test
// clock making them available, a payout, a dispute, and their webhooks (issue 13).
const card = (number: string) => ({ number, exp_month: 12, exp_year: 2034, cvc: '123' });
const t = platformPerFile();
const receiver = webhookReceiverPerFile();

async function pay(secret: string, amount: number, number: string): Promise<string> {
  const payment = await t.api('POST', '/v1/payments', {
    token: secret,
    body: { amount, currency: 'inr' },
  });
  expect(payment.status, payment.text).toBe(201);
  const confirm = await t.api('POST', `/v1/payments/${payment.body.id}/confirm`, {
    body: { client_secret: payment.body.client_secret, method: 'card', card: card(number) },
  });
  expect(confirm.status, confirm.text).toBe(200);
  return payment.body.id as string;
}

describe('balance, payouts and disputes through the gateway', () => {
  it('when a merchant is paid, waits 2 days, pays out and is disputed, then balance, lists and webhooks agree', async () => {
    const merchant = await onboardMerchant(t, 'money');
    const other = await onboardMerchant(t, 'other-money');
    const live = await t.api('POST', `/v1/projects/${merchant.project.id}/api_keys`, {
      token: merchant.token,
      body: { name: 'live server', mode: 'live' },
    });
    expect(live.status, live.text).toBe(201);
    const secret = merchant.key.secret;
    const endpoint = await t.api('POST', '/v1/webhook_endpoints', {
      token: secret,
      body: {
        url: receiver.url,
        enabled_events: ['dispute.created', 'dispute.closed', 'payout.paid', 'payout.failed'],
      },
    });
    expect(endpoint.status, endpoint.text).toBe(201);

    // Paid: 2% + ₹3 is charged and the net waits 2 days.
    await pay(secret, 100_000, '4242424242424242');
    const pending = await t.api('GET', '/v1/balance', { token: secret });
    expect(pending.body).toMatchObject({
      available: [{ amount: 0, currency: 'inr' }],
      pending: [{ amount: 100_000 - 2_300, currency: 'inr' }],
    });
    const advanced = await t.api('POST', '/v1/test_helpers/clock/advance', {
      token: secret,
      body: { seconds: 2 * 24 * 60 * 60 },
    });
    expect(advanced.status, advanced.text).toBe(200);
    const available = await t.api('GET', '/v1/balance', { token: secret });
    expect(available.body).toMatchObject({
      available: [{ amount: 97_700, currency: 'inr' }],
      pending: [{ amount: 0, currency: 'inr' }],
    });

    // Payouts: one paid, one beyond what is available refused.
    const payout = await t.api('POST', '/v1/payouts', {
      token: secret,
      body: { amount: 50_000, currency: 'inr', destination: { vpa: 'success@expe' } },
    });
    const tooMuch = await t.api('POST', '/v1/payouts', {
      token: secret,
      body: { amount: 50_000, currency: 'inr', destination: { vpa: 'success@expe' } },
    });
    expect(payout.status, payout.text).toBe(201);
    expect(payout.body.status).toBe('paid');
    expect(tooMuch.status, tooMuch.text).toBe(402);
    expect(tooMuch.body.error).toMatchObject({ code: 'payout_exceeds_available', param: 'amount' });

    // The dispute card: succeeded, then disputed; the merchant wins it.
    const disputedId = await pay(secret, 10_000, '4000000000000259');
    const disputes = await t.api('GET', '/v1/disputes', { token: secret });
    expect(disputes.body.data).toEqual([
      expect.objectContaining({ payment: disputedId, status: 'needs_response', amount: 10_000 }),
    ]);
    const disputeId = disputes.body.data[0].id as string;
    const won = await t.api('POST', `/v1/disputes/${disputeId}`, {
      token: secret,
      body: { evidence: { uncategorized_text: 'winning_evidence' } },
    });
    expect(won.status, won.text).toBe(200);
    expect(won.body.status).toBe('won');

    const transactions = await t.api('GET', '/v1/balance_transactions?limit=100', {
      token: secret,
    });
    expect(transactions.body.data.map((row: any) => [row.type, row.net])).toEqual([
      ['dispute', 9_500],
      ['dispute', -9_500],
      ['payment', 9_500],
      ['payout', -50_000],
      ['payment', 97_700],
    ]);

    // Other merchants and live keys see none of it.
    for (const [token, path] of [
      [other.key.secret, `/v1/disputes/${disputeId}`],
      [other.key.secret, `/v1/payouts/${payout.body.id}`],
      [live.body.secret, `/v1/disputes/${disputeId}`],
      [live.body.secret, `/v1/balance_transactions/${transactions.body.data[0].id}`],
    ] as const) {
      const answer = await t.api('GET', path, { token });
      expect(answer.status, `${path}: ${answer.text}`).toBe(404);
    }

    // The webhooks: payout.paid, dispute.created and dispute.closed reached the endpoint.
    await receiver.waitFor((all) => all.length >= 3);
    expect(receiver.received.map((delivery) => delivery.event.type).sort()).toEqual([
      'dispute.closed',
      'dispute.created',
      'payout.paid',
    ]);
    const closed = receiver.received.find((delivery) => delivery.event.type === 'dispute.closed')!;
    expect(closed.event.data.object).toMatchObject({ id: disputeId, status: 'won' });
  });
});
