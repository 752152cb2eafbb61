import { describe, expect, it } from 'vitest';
import { returnedFeeShare, sandboxFee } from './fees.js';

describe('sandboxFee', () => {
  it('when an INR payment succeeds, then the fee is 2% rounded half up plus ₹3', () => {
    expect(sandboxFee(10_000, 'inr')).toBe(200 + 300);
    expect(sandboxFee(12_345, 'inr')).toBe(247 + 300); // 246.9 → 247
    expect(sandboxFee(12_325, 'inr')).toBe(247 + 300); // 246.5 → 247 (half up)
    expect(sandboxFee(12_324, 'inr')).toBe(246 + 300); // 246.48 → 246
  });

  it('when the currency is not INR, then the fixed part is 30 minor units', () => {
    expect(sandboxFee(10_000, 'usd')).toBe(230);
  });

  it('when the payment is smaller than the fee, then the fee is the whole payment', () => {
    expect(sandboxFee(100, 'inr')).toBe(100);
  });

  it('when fees are turned off, then the fee is 0', () => {
    expect(sandboxFee(10_000, 'inr', false)).toBe(0);
  });

  it('when the amount is the largest safe integer, then the fee is still exact', () => {
    expect(sandboxFee(Number.MAX_SAFE_INTEGER, 'usd')).toBe(180_143_985_094_820 + 30);
  });
});

describe('returnedFeeShare', () => {
  it('when a payment is refunded in uneven parts, then the shares add up to the whole fee', () => {
    const fee = sandboxFee(10_001, 'inr');
    const parts = [3_333, 3_333, 3_335];
    let before = 0;
    let returned = 0;
    for (const part of parts) {
      returned += returnedFeeShare(fee, 10_001, before, before + part);
      before += part;
    }
    expect(returned).toBe(fee);
  });

  it('when nothing was charged, then nothing is returned', () => {
    expect(returnedFeeShare(0, 10_000, 0, 5_000)).toBe(0);
  });
});
