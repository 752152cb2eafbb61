import { describe, expect, it } from 'vitest';
import {
  cardBody,
  createPayment,
  sandboxCards,
  stackPerFile,
  topUp,
  walletBalance,
} from './support.js';

// Live mode in a sandbox (issue 11, finding 6; ADR 0006): no card network or UPI bank stands
// behind Expe, so the sandbox's test cards and VPAs work in test mode only. In live mode they
// get Stripe's answer for a test card used live, and no money moves.

const stack = stackPerFile('live_mode');

/** Available and pending together: payments stay pending for 2 days, net of the sandbox fee. */
async function liveBalance(key: Parameters<typeof createPayment>[1]): Promise<unknown> {
  const response = await stack.call('GET', '/v1/balance', { as: key });
  expect(response.status, response.text).toBe(200);
  return { available: response.body.available, pending: response.body.pending };
}

const emptyBalance = {
  available: [{ amount: 0, currency: 'inr' }],
  pending: [{ amount: 0, currency: 'inr' }],
};

describe('test cards and VPAs in live mode', () => {
  it('when a live-mode payment is confirmed with any test card, then 402 card_declined live_mode_test_card, the attempt is recorded and no money moves', async () => {
    const shop = await stack.registerMerchant('Live Card Shop');
    for (const number of Object.values(sandboxCards)) {
      const payment = await createPayment(stack, shop.liveKey, { amount: 4_200 });

      const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
        body: cardBody(payment.client_secret, number),
      });

      expect(response.status, number).toBe(402);
      expect(response.body.error, number).toMatchObject({
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'live_mode_test_card',
      });
      expect(response.body.error.payment.status).toBe('requires_payment_method');
      expect(response.body.error.payment.last_payment_error.decline_code).toBe(
        'live_mode_test_card',
      );
    }
    expect(await liveBalance(shop.liveKey)).toEqual(emptyBalance);
  });

  it('when a live-mode payment is confirmed with a sandbox VPA, then 402 and it never becomes processing', async () => {
    const shop = await stack.registerMerchant('Live UPI Shop');
    for (const vpa of ['success@expe', 'pending@expe', 'failure@expe']) {
      const payment = await createPayment(stack, shop.liveKey);

      const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
        body: { client_secret: payment.client_secret, method: 'upi', upi: { vpa } },
      });

      expect(response.status, vpa).toBe(402);
      expect(response.body.error, vpa).toMatchObject({
        type: 'upi_error',
        code: 'upi_transaction_failed',
        decline_code: 'live_mode_test_vpa',
      });
      expect(response.body.error.payment.status).toBe('requires_payment_method');
    }
    expect(await liveBalance(shop.liveKey)).toEqual(emptyBalance);
  });

  it('when the same test card pays a test-mode payment, then it still succeeds', async () => {
    const shop = await stack.registerMerchant('Test Card Shop');
    const payment = await createPayment(stack, shop.testKey);

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      body: cardBody(payment.client_secret, sandboxCards.succeeds),
    });

    expect(response.status, response.text).toBe(200);
    expect(response.body.status).toBe('succeeded');
  });

  it('when a live-mode payment is paid from an Expe wallet, then it succeeds (the wallet is the platform’s own ledger)', async () => {
    const shop = await stack.registerMerchant('Live Wallet Shop');
    const payer = await stack.registerUser('Live Payer');
    await topUp(stack, payer, 10_000);
    const payment = await createPayment(stack, shop.liveKey, { amount: 3_000 });

    const response = await stack.call('POST', `/v1/payments/${payment.id}/confirm`, {
      as: payer.principal,
      body: { client_secret: payment.client_secret, method: 'wallet' },
    });

    expect(response.status, response.text).toBe(200);
    expect(await walletBalance(stack, payer)).toBe(7_000);
    expect(await liveBalance(shop.liveKey)).toEqual({
      available: [{ amount: 0, currency: 'inr' }],
      pending: [{ amount: 3_000 - (60 + 300), currency: 'inr' }],
    });
  });
});
