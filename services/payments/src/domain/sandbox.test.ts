import { describe, expect, it } from 'vitest';
import { cardOutcome, isCardExpired, upiOutcome } from './sandbox.js';

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
