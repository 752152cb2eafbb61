import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { deliveryPayload } from './delivery-payload.js';

const stored = JSON.stringify({
  id: 'evt_01kb3v4y7m9q2x8c5d6e7f8g9h',
  object: 'event',
  type: 'payment.succeeded',
  created: 1_764_115_200,
  livemode: false,
  data: {
    object: {
      id: 'pay_01kb3v4y7m9q2x8c5d6e7f8g9h',
      object: 'payment',
      amount: 2_000,
      amount_refunded: 0,
      currency: 'usd',
      status: 'succeeded',
      livemode: false,
      metadata: {},
      created: 1_764_115_200,
    },
  },
});
const secret = 'whsec_test_secret_for_delivery_payloads';

describe('delivery payloads', () => {
  it('when the endpoint is an Expe one, then it gets the stored bytes with Expe-Signature', () => {
    const out = deliveryPayload({ format: 'expe' }, stored, [secret], 1_764_115_200);
    expect(out.body).toBe(stored);
    expect(Object.keys(out.signatureHeaders)).toEqual(['expe-signature']);
  });

  it('when the endpoint is a Stripe one, then the official SDK verifies a Stripe Event with the same id', () => {
    const now = Math.floor(Date.now() / 1000);
    const out = deliveryPayload({ format: 'stripe' }, stored, [secret], now);
    const event = new Stripe('sk_test_unused').webhooks.constructEvent(
      out.body,
      out.signatureHeaders['stripe-signature']!,
      secret,
    );
    expect(event).toMatchObject({
      id: 'evt_01kb3v4y7m9q2x8c5d6e7f8g9h',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { object: 'payment_intent', amount_received: 2_000, status: 'succeeded' } },
    });
    // Checked against another secret, it is refused.
    expect(() =>
      new Stripe('sk_test_unused').webhooks.constructEvent(
        out.body,
        out.signatureHeaders['stripe-signature']!,
        'whsec_other',
      ),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  });
});
