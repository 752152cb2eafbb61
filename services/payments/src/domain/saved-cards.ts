import type { CardDetails } from '../db/instrument-schema.js';
import type { StoredPaymentError } from '../db/schema.js';
import type { AttemptOutcome } from './sandbox.js';

/**
 * Sandbox tokens of the test cards, in Stripe's names: what a saved card keeps instead of its
 * number, and what decides how later charges of it go. A card the sandbox has no token for is
 * kept as `tok_visa` (it paid, so it charges like the plain success card).
 */
const cardTokens: Record<string, string> = {
  '4242424242424242': 'tok_visa',
  '4000000000000341': 'tok_chargeCustomerFail',
  '4000002500003155': 'tok_threeDSecureRequired',
  '4000000000000259': 'tok_createDispute',
};

/** Stripe's 4000000000000341: attaching the card works, charging the saved card is declined. */
const customerChargeDeclined: StoredPaymentError = {
  type: 'card_error',
  code: 'card_declined',
  decline_code: 'generic_decline',
  message: 'Your card was declined.',
};

/** The authentication a 3-D Secure card asks for cannot happen while the customer is away. */
const authenticationRequired: StoredPaymentError = {
  type: 'card_error',
  code: 'card_declined',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};

export function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(60|65|81|82|508)/.test(number)) return 'rupay';
  return 'unknown';
}

/** What a payment and a saved card keep of a card: brand, last four, expiry and the token. */
export function describeCard(card: {
  number: string;
  exp_month: number;
  exp_year: number;
}): CardDetails {
  return {
    brand: cardBrand(card.number),
    last4: card.number.slice(-4),
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    token: cardTokens[card.number] ?? 'tok_visa',
  };
}

/** What the sandbox network does when a saved card is charged again. */
export function savedCardOutcome(token: string, options: { offSession: boolean }): AttemptOutcome {
  if (token === 'tok_chargeCustomerFail') return { kind: 'fails', error: customerChargeDeclined };
  if (token === 'tok_threeDSecureRequired' && options.offSession) {
    return { kind: 'fails', error: authenticationRequired };
  }
  return { kind: 'succeeds' };
}
