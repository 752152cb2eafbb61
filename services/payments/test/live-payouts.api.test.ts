import { describe, expect, it } from 'vitest';
import { stackPerFile } from './support.js';

// Live mode in a sandbox (ADR 0006), for payouts (issue 21, item 5): the sandbox VPAs are test
// mode's bank. A live payout to one must be refused as bad input before anything is written —
// not judged only by the live balance, as if the sandbox bank could receive live money.

const stack = stackPerFile('live_payouts');

describe('live payouts', () => {
  it.each(['success@expe', 'failure@expe', 'shop@okbank'])(
    'when a live key pays out to %s, then 400 on destination[vpa] names live mode and no payout, event or balance transaction is written',
    async (vpa) => {
      const shop = await stack.registerMerchant(`Live Payout ${vpa}`);
      const before = await stack.count('payouts');

      const response = await stack.call('POST', '/v1/payouts', {
        as: shop.liveKey,
        body: { amount: 1_000, currency: 'inr', destination: { vpa } },
      });

      expect(response.status, response.text).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'parameter_invalid',
        param: 'destination[vpa]',
      });
      expect(response.body.error.message).toMatch(/live mode/);
      expect(await stack.count('payouts')).toBe(before);
      const listed = await stack.call('GET', '/v1/payouts', { as: shop.liveKey });
      expect(listed.body.data).toEqual([]);
      const events = await stack.call('GET', '/v1/events?type=payout.*', { as: shop.liveKey });
      expect(events.body.data).toEqual([]);
    },
  );

  it('when a test key pays out to success@expe without balance, then it is still judged by the balance (402)', async () => {
    const shop = await stack.registerMerchant('Test Payout Shop');

    const response = await stack.call('POST', '/v1/payouts', {
      as: shop.testKey,
      body: { amount: 1_000, currency: 'inr', destination: { vpa: 'success@expe' } },
    });

    expect(response.status, response.text).toBe(402);
    expect(response.body.error.code).toBe('payout_exceeds_available');
  });
});
