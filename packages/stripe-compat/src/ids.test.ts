import { describe, expect, it } from 'vitest';
import { toStripeEvent } from './events.js';
import { stripeIdPrefixes, toExpeId, toExpeIds, toStripeId, toStripeIds } from './ids.js';

const suffix = '01j9zq3v5k7m8n9p0r2s4t6w8y';

describe('ids on the Stripe port', () => {
  it.each(Object.entries(stripeIdPrefixes))(
    'when an Expe %s_ id goes out, then it is %s_ with the same suffix, and comes back as it was',
    (expe, stripe) => {
      expect(toStripeId(`${expe}_${suffix}`)).toBe(`${stripe}_${suffix}`);
      expect(toExpeId(`${stripe}_${suffix}`)).toBe(`${expe}_${suffix}`);
      // A made-up id of the right kind maps too, so it is looked up (and is a 404), not refused.
      expect(toExpeId(`${stripe}_123`)).toBe(`${expe}_123`);
      // Already mapped: unchanged, so mapping twice is harmless.
      expect(toStripeId(`${stripe}_${suffix}`)).toBe(`${stripe}_${suffix}`);
      expect(toExpeId(`${expe}_${suffix}`)).toBe(`${expe}_${suffix}`);
    },
  );

  it.each(['re', 'cus', 'pm', 'evt', 'we', 'po', 'ch'])(
    'when an id is %s_ (Stripe’s prefix already), then it is unchanged both ways',
    (prefix) => {
      expect(toStripeId(`${prefix}_${suffix}`)).toBe(`${prefix}_${suffix}`);
      expect(toExpeId(`${prefix}_${suffix}`)).toBe(`${prefix}_${suffix}`);
    },
  );

  it('when a body nests ids (expansions, lists, errors), then each one carries Stripe’s prefix; metadata, descriptions and URLs are left as written', () => {
    const body = {
      object: 'list',
      url: '/v1/refunds',
      data: [
        {
          id: `re_${suffix}`,
          payment_intent: {
            id: `pay_${suffix}`,
            client_secret: `pay_${suffix}_secret_AbC-12_x`,
            next_action: { redirect_to_url: { url: `https://expe.test/pay/pay_${suffix}` } },
            metadata: { order: `pay_${suffix}` },
            description: `pay_${suffix}`,
          },
          balance_transactions: [`bt_${suffix}`],
        },
        { id: `dp_${suffix}`, payment_intent: `pay_${suffix}`, amount: 5, livemode: false },
      ],
    };
    expect(toStripeIds(body)).toEqual({
      object: 'list',
      url: '/v1/refunds',
      data: [
        {
          id: `re_${suffix}`,
          payment_intent: {
            id: `pi_${suffix}`,
            client_secret: `pi_${suffix}_secret_AbC-12_x`,
            next_action: { redirect_to_url: { url: `https://expe.test/pay/pay_${suffix}` } },
            metadata: { order: `pay_${suffix}` },
            description: `pay_${suffix}`,
          },
          balance_transactions: [`txn_${suffix}`],
        },
        { id: `du_${suffix}`, payment_intent: `pi_${suffix}`, amount: 5, livemode: false },
      ],
    });
    expect(
      toStripeIds({ type: 'invalid_request_error', message: "No such payment_intent: 'pay_123'" }),
    ).toEqual({ type: 'invalid_request_error', message: "No such payment_intent: 'pi_123'" });
  });

  it('when request parameters carry Stripe ids (cursors, filters, nested), then Expe gets its own ids', () => {
    expect(
      toExpeIds({
        starting_after: `pi_${suffix}`,
        ending_before: `txn_${suffix}`,
        payment_intent: `pi_${suffix}`,
        charge: `ch_${suffix}`,
        nested: { dispute: `du_${suffix}` },
        expand: ['data.payment_intent'],
        payment_method: 'pm_card_visa',
        metadata: { stripe_id: `pi_${suffix}` },
      }),
    ).toEqual({
      starting_after: `pay_${suffix}`,
      ending_before: `bt_${suffix}`,
      payment_intent: `pay_${suffix}`,
      charge: `ch_${suffix}`,
      nested: { dispute: `dp_${suffix}` },
      expand: ['data.payment_intent'],
      payment_method: 'pm_card_visa',
      metadata: { stripe_id: `pi_${suffix}` },
    });
  });

  it('when an event goes out (Events API or a webhook), then its data object carries Stripe’s ids', () => {
    const event = toStripeEvent({
      id: `evt_${suffix}`,
      type: 'dispute.created',
      created: 1,
      livemode: false,
      data: {
        object: {
          id: `dp_${suffix}`,
          object: 'dispute',
          payment: `pay_${suffix}`,
          charge: `ch_${suffix}x`,
          amount: 100,
          currency: 'usd',
          status: 'needs_response',
          reason: 'fraudulent',
          evidence: { uncategorized_text: null },
          evidence_due_by: 2,
          livemode: false,
          created: 1,
        },
      },
    });
    expect(event).toMatchObject({
      id: `evt_${suffix}`,
      type: 'charge.dispute.created',
      data: {
        // A Charge keeps its own id: Expe's and Stripe's are the same.
        object: { id: `du_${suffix}`, payment_intent: `pi_${suffix}`, charge: `ch_${suffix}x` },
      },
    });
  });
});
