import { createHash } from 'node:crypto';
import { AppError } from '@expe/server-kit';
import type { CardDetails } from '../../db/instrument-schema.js';
import type { StoredPaymentError } from '../../db/schema.js';
import {
  cardOutcome,
  sandboxCardNumbers,
  type AttemptOutcome,
} from '../../payments/domain/sandbox-outcomes.js';

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
  '4000000000000002': 'tok_chargeDeclined',
  '4000000000009995': 'tok_chargeDeclinedInsufficientFunds',
  '4000000000000119': 'tok_chargeDeclinedProcessingError',
};

/** The sandbox number behind each stored token (its outcome), never stored itself. */
const numberOfToken: Record<string, string> = Object.fromEntries(
  Object.entries(cardTokens).map(([number, token]) => [token, number]),
);

interface TestToken {
  number: string;
  /** Shown instead of the number's own (Stripe's Mastercard and Amex tokens pay like 4242). */
  brand?: string;
  last4?: string;
}

/**
 * The test tokens and test PaymentMethods a PaymentMethod may be created from, in Stripe's
 * names: `card[token]` of `POST /v1/payment_methods`.
 */
const testTokens: Record<string, TestToken> = {
  tok_visa: { number: '4242424242424242' },
  tok_mastercard: { number: '4242424242424242', brand: 'mastercard', last4: '4444' },
  tok_amex: { number: '4242424242424242', brand: 'amex', last4: '8431' },
  tok_chargeDeclined: { number: '4000000000000002' },
  tok_chargeDeclinedInsufficientFunds: { number: '4000000000009995' },
  tok_chargeDeclinedProcessingError: { number: '4000000000000119' },
  tok_chargeCustomerFail: { number: '4000000000000341' },
  tok_threeDSecureRequired: { number: '4000002500003155' },
  tok_createDispute: { number: '4000000000000259' },
  pm_card_visa: { number: '4242424242424242' },
  pm_card_mastercard: { number: '4242424242424242', brand: 'mastercard', last4: '4444' },
  pm_card_amex: { number: '4242424242424242', brand: 'amex', last4: '8431' },
  pm_card_chargeDeclined: { number: '4000000000000002' },
  pm_card_chargeDeclinedInsufficientFunds: { number: '4000000000009995' },
  pm_card_chargeDeclinedProcessingError: { number: '4000000000000119' },
  pm_card_chargeCustomerFail: { number: '4000000000000341' },
  pm_card_authenticationRequired: { number: '4000002500003155' },
  pm_card_threeDSecure2Required: { number: '4000002500003155' },
  pm_card_createDispute: { number: '4000000000000259' },
};

export const sandboxTestTokens = Object.keys(testTokens);

/** The card a test token stands for, with an expiry five years ahead of `now`; 400 otherwise. */
export function describeTestToken(token: string, now: Date): CardDetails {
  const test = Object.hasOwn(testTokens, token) ? testTokens[token] : undefined;
  if (!test) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid card[token]: use a sandbox test token (${sandboxTestTokens.join(', ')})`,
      { param: 'card[token]' },
    );
  }
  const card = describeCard({
    number: test.number,
    exp_month: 12,
    exp_year: now.getUTCFullYear() + 5,
  });
  return { ...card, brand: test.brand ?? card.brand, last4: test.last4 ?? card.last4 };
}

/** A sandbox card number typed in (`card[number]`); any other number is bad input. */
export function describeSandboxCard(card: {
  number: string;
  exp_month: number;
  exp_year: number;
}): CardDetails {
  if (!cardOutcome(card.number)) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid card[number]: use a sandbox test card (${sandboxCardNumbers.join(', ')})`,
      { param: 'card[number]' },
    );
  }
  return describeCard(card);
}

/**
 * Stripe's card fingerprint: the same card in one project gives the same value, another project
 * another one. A digest of what the row keeps (never the number); migration 0008 computes the
 * same for the cards saved before it.
 */
export function cardFingerprint(projectId: string, card: CardDetails): string {
  return createHash('sha256')
    .update(`${projectId}:${card.brand}:${card.last4}:${card.token}`)
    .digest('hex')
    .slice(0, 16);
}

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

/**
 * An attempt made while the customer is away (`off_session`): a card that asks for 3-D Secure
 * cannot be authenticated, so it fails with `authentication_required` instead of waiting for a
 * challenge nobody will pass; any other outcome is the card's own.
 */
export function offSessionOutcome(outcome: AttemptOutcome): AttemptOutcome {
  return outcome.kind === 'requires_action'
    ? { kind: 'fails', error: authenticationRequired }
    : outcome;
}

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

/**
 * What the sandbox network does when a stored card is charged: a saved card (attached to the
 * customer) as saved cards always did; a PaymentMethod not attached yet as its sandbox number
 * would on a checkout (a declining card declines, a 3-D Secure card asks for the challenge).
 */
export function savedCardOutcome(
  token: string,
  options: { offSession: boolean; isAttached?: boolean },
): AttemptOutcome {
  const number = numberOfToken[token];
  const asNumber: AttemptOutcome = (number ? cardOutcome(number) : undefined) ?? {
    kind: 'succeeds',
  };
  if (token === 'tok_threeDSecureRequired' && options.offSession) {
    return { kind: 'fails', error: authenticationRequired };
  }
  if (options.isAttached === false) return asNumber;
  if (token === 'tok_chargeCustomerFail') return { kind: 'fails', error: customerChargeDeclined };
  // Saved cards charge as the plain success card unless their number declines.
  return asNumber.kind === 'fails' ? asNumber : { kind: 'succeeds' };
}

/**
 * What the sandbox network says when a card is checked to be saved (attach, SetupIntent): the
 * declining numbers decline, a 3-D Secure card asks for the challenge (a SetupIntent), the rest
 * (4000000000000341 too: it fails only when charged) may be saved.
 */
export function setupOutcome(token: string): AttemptOutcome {
  const number = numberOfToken[token];
  const outcome = number ? cardOutcome(number) : undefined;
  if (!outcome || outcome.kind === 'pending') return { kind: 'succeeds' };
  if (outcome.kind === 'succeeds') return { kind: 'succeeds' };
  return outcome;
}
