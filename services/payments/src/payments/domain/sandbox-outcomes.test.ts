import { describe, expect, it } from 'vitest';
import { AppError } from '@expe/server-kit';
import { cardOutcome, confirmOutcome, isCardExpired, upiOutcome } from './sandbox-outcomes.js';

describe('isCardExpired', () => {
  const now = new Date('2026-11-26T10:00:00Z');

  it('when the expiry month is the current one, then the card is still valid', () => {
    expect(isCardExpired(11, 2026, now)).toBe(false);
  });

  it('when the expiry month or year has passed, then the card has expired', () => {
    expect(isCardExpired(10, 2026, now)).toBe(true);
    expect(isCardExpired(12, 2025, now)).toBe(true);
  });
});

describe('sandbox outcomes', () => {
  it('when the card or VPA is not a sandbox one, then there is no outcome', () => {
    expect(cardOutcome('4111111111111111')).toBeUndefined();
    expect(upiOutcome('asha@okbank')).toBeUndefined();
  });

  it('when the VPA differs only in case, then it is the same sandbox address', () => {
    expect(upiOutcome('PENDING@expe')).toEqual({ kind: 'pending' });
  });
});

describe('confirmOutcome', () => {
  const card = { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' };
  const clientSecret = 'pay_0123456789abcdef_secret_0123456789';
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof AppError) return { code: error.code, param: error.param };
      throw error;
    }
    return undefined;
  };

  it('when a card comes with another method, then it is refused on card', () => {
    const input = { client_secret: clientSecret, method: 'upi' as const, card };
    expect(refusal(() => confirmOutcome(input))).toEqual({
      code: 'parameter_invalid',
      param: 'card',
    });
  });

  it('when a VPA comes with another method, then it is refused on upi', () => {
    const input = {
      client_secret: clientSecret,
      method: 'card' as const,
      upi: { vpa: 'success@expe' },
    };
    expect(refusal(() => confirmOutcome(input))).toEqual({
      code: 'parameter_invalid',
      param: 'upi',
    });
  });

  it('when the card or VPA is not a sandbox one, then it is refused on its field', () => {
    expect(
      refusal(() =>
        confirmOutcome({
          client_secret: clientSecret,
          method: 'card',
          card: { ...card, number: '4111111111111111' },
        }),
      ),
    ).toEqual({ code: 'parameter_invalid', param: 'card[number]' });
    expect(
      refusal(() =>
        confirmOutcome({ client_secret: clientSecret, method: 'upi', upi: { vpa: 'asha@okbank' } }),
      ),
    ).toEqual({ code: 'parameter_invalid', param: 'upi[vpa]' });
  });

  it('when the card, VPA or wallet is a sandbox one, then its outcome is what the network does', () => {
    expect(confirmOutcome({ client_secret: clientSecret, method: 'card', card })).toEqual({
      kind: 'succeeds',
    });
    expect(
      confirmOutcome({ client_secret: clientSecret, method: 'upi', upi: { vpa: 'pending@expe' } }),
    ).toEqual({ kind: 'pending' });
    expect(confirmOutcome({ client_secret: clientSecret, method: 'wallet' })).toEqual({
      kind: 'succeeds',
    });
  });
});
