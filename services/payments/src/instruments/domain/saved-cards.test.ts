import { describe, expect, it } from 'vitest';
import { cardBrand, describeCard, savedCardOutcome } from './saved-cards.js';

describe('saved cards', () => {
  it('when a card is described, then only brand, last four, expiry and a token are kept', () => {
    const details = describeCard({ number: '4000000000000341', exp_month: 4, exp_year: 2031 });
    expect(details).toEqual({
      brand: 'visa',
      last4: '0341',
      exp_month: 4,
      exp_year: 2031,
      token: 'tok_chargeCustomerFail',
    });
    expect(JSON.stringify(details)).not.toContain('4000000000000341');
  });

  it('when card 0341 is charged again, then it is declined; the success card is not', () => {
    expect(savedCardOutcome('tok_chargeCustomerFail', { offSession: true })).toMatchObject({
      kind: 'fails',
      error: { code: 'card_declined' },
    });
    expect(savedCardOutcome('tok_visa', { offSession: true })).toEqual({ kind: 'succeeds' });
    expect(savedCardOutcome('tok_threeDSecureRequired', { offSession: false })).toEqual({
      kind: 'succeeds',
    });
  });

  it('when brands are read from numbers, then the first digits decide', () => {
    expect(cardBrand('4242424242424242')).toBe('visa');
    expect(cardBrand('5555555555554444')).toBe('mastercard');
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('6071234512341234')).toBe('rupay');
  });
});
