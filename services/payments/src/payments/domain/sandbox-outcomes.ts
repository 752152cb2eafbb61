import { AppError } from '@expe/server-kit';
import type { ConfirmPaymentInput } from '@expe/contracts';
import type { StoredPaymentError } from '../../db/schema.js';

/** What the sandbox's pretend card network or UPI bank does with an attempt. */
export type AttemptOutcome =
  /** `isDisputed`: the cardholder disputes the payment as soon as it succeeds (4000000000000259). */
  | { kind: 'succeeds'; isDisputed?: boolean }
  /** UPI collect requests the payer has not approved yet: processing, then success. */
  | { kind: 'pending' }
  /** 3-D Secure: the payer must pass a challenge on the hosted page before the card pays. */
  | { kind: 'requires_action' }
  | { kind: 'fails'; error: StoredPaymentError };

const cardOutcomes: Record<string, AttemptOutcome> = {
  '4242424242424242': { kind: 'succeeds' },
  '4000000000000259': { kind: 'succeeds', isDisputed: true },
  '4000002500003155': { kind: 'requires_action' },
  '4000000000000002': {
    kind: 'fails',
    error: {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
    },
  },
  '4000000000009995': {
    kind: 'fails',
    error: {
      type: 'card_error',
      code: 'insufficient_funds',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
  '4000000000000119': {
    kind: 'fails',
    error: {
      type: 'card_error',
      code: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
  // Pays and can be saved on a customer; charges of the saved card are declined (saved-cards.ts).
  '4000000000000341': { kind: 'succeeds' },
};

/** The payer's bank refused the UPI payment (failure@expe, or a test helper's failed outcome). */
export const upiTransactionFailed: StoredPaymentError = {
  type: 'upi_error',
  code: 'upi_transaction_failed',
  message: 'The UPI transaction failed at the payer’s bank.',
};

const upiOutcomes: Record<string, AttemptOutcome> = {
  'success@expe': { kind: 'succeeds' },
  'pending@expe': { kind: 'pending' },
  'failure@expe': { kind: 'fails', error: upiTransactionFailed },
};

export const sandboxCardNumbers = Object.keys(cardOutcomes);
export const sandboxVpas = Object.keys(upiOutcomes);

/** `undefined` for a number that is not one of the sandbox's test cards. */
export function cardOutcome(number: string): AttemptOutcome | undefined {
  return cardOutcomes[number];
}

/** `undefined` for a VPA that is not one of the sandbox's test addresses. */
export function upiOutcome(vpa: string): AttemptOutcome | undefined {
  return upiOutcomes[vpa.toLowerCase()];
}

/**
 * What the sandbox network does with a confirm's card or VPA. A card or VPA that is not a sandbox
 * one, or one that does not go with the method, is bad input, refused before anything is written.
 */
export function confirmOutcome(input: ConfirmPaymentInput): AttemptOutcome {
  if (input.method !== 'card' && input.card) {
    throw AppError.of('parameter_invalid', 'card is only accepted with method card', {
      param: 'card',
    });
  }
  if (input.method !== 'upi' && input.upi) {
    throw AppError.of('parameter_invalid', 'upi is only accepted with method upi', {
      param: 'upi',
    });
  }
  if (input.method === 'card' && input.card) {
    const outcome = cardOutcome(input.card.number);
    if (!outcome) {
      throw AppError.of(
        'parameter_invalid',
        `Invalid card[number]: use a sandbox test card (${sandboxCardNumbers.join(', ')})`,
        { param: 'card[number]' },
      );
    }
    return outcome;
  }
  if (input.method === 'upi' && input.upi) return sandboxVpaOutcome(input.upi.vpa, 'upi[vpa]');
  return { kind: 'succeeds' };
}

/** What the sandbox bank does with a VPA; any other address is bad input on `param`. */
export function sandboxVpaOutcome(vpa: string, param: string): AttemptOutcome {
  const outcome = upiOutcome(vpa);
  if (!outcome) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid ${param}: use a sandbox UPI address (${sandboxVpas.join(', ')})`,
      { param },
    );
  }
  return outcome;
}

/**
 * What a test card or sandbox VPA gets in live mode (ADR 0006): nothing stands behind live mode
 * that could charge them, so the attempt is declined the way Stripe declines a known test card
 * used with a live key.
 */
export function liveModeOutcome(method: 'card' | 'upi'): AttemptOutcome {
  return method === 'card'
    ? {
        kind: 'fails',
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'live_mode_test_card',
          message:
            'Your card was declined. Your request was in live mode, but used a known test card.',
        },
      }
    : {
        kind: 'fails',
        error: {
          type: 'upi_error',
          code: 'upi_transaction_failed',
          decline_code: 'live_mode_test_vpa',
          message:
            'The UPI transaction was declined. Your request was in live mode, but used a sandbox test VPA.',
        },
      };
}

/** A card is valid through the last day of its expiry month (UTC). */
export function isCardExpired(expMonth: number, expYear: number, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expYear < year || (expYear === year && expMonth < month);
}

/** The payer failed (or abandoned) the 3-D Secure challenge. */
export const authenticationFailed: StoredPaymentError = {
  type: 'card_error',
  code: 'authentication_failed',
  message: 'The card holder did not pass 3-D Secure authentication.',
};

export const walletInsufficientFunds: StoredPaymentError = {
  type: 'card_error',
  code: 'insufficient_funds',
  message: 'Your Expe wallet balance is too low for this payment.',
};
