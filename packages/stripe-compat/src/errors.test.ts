import { describe, expect, it } from 'vitest';
import { stripeCardFailure, toStripeErrorBody } from './errors.js';

describe('card failures in Stripe’s codes', () => {
  it.each([
    // Expe's code, Expe's decline_code → Stripe's code, Stripe's decline_code
    ['card_declined', undefined, 'card_declined', 'generic_decline'],
    ['card_declined', 'generic_decline', 'card_declined', 'generic_decline'],
    ['insufficient_funds', undefined, 'card_declined', 'insufficient_funds'],
    ['insufficient_funds', 'insufficient_funds', 'card_declined', 'insufficient_funds'],
    ['card_declined', 'live_mode_test_card', 'card_declined', 'live_mode_test_card'],
    ['lost_card', undefined, 'card_declined', 'lost_card'],
    ['stolen_card', undefined, 'card_declined', 'stolen_card'],
    [
      'card_declined',
      'authentication_required',
      'authentication_required',
      'authentication_required',
    ],
    ['processing_error', undefined, 'processing_error', undefined],
    ['expired_card', undefined, 'expired_card', undefined],
    ['incorrect_cvc', undefined, 'incorrect_cvc', undefined],
  ])(
    'when Expe fails a card with %s / %s, then Stripe’s code is %s and decline_code %s',
    (code, declineCode, stripeCode, stripeDeclineCode) => {
      expect(stripeCardFailure(code, declineCode)).toEqual({
        code: stripeCode,
        decline_code: stripeDeclineCode,
      });
      const body = toStripeErrorBody({ type: 'card_error', code, decline_code: declineCode });
      expect(body.code).toBe(stripeCode);
      expect(body.decline_code).toBe(stripeDeclineCode);
    },
  );

  it('when an error is not a card error, then its code is not read as a decline', () => {
    expect(
      toStripeErrorBody({ type: 'invalid_request_error', code: 'insufficient_funds' }),
    ).toMatchObject({
      code: 'insufficient_funds',
    });
  });
});
