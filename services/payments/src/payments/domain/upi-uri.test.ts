import { describe, expect, it } from 'vitest';
import { buildUpiUri, formatMajorUnits } from './upi-uri.js';

const payment = {
  id: 'pay_01kb3v4y7m9q2x8c5d6e7f8g9h',
  merchantId: 'mer_01kb3v4y7m9q2x8c5d6e7f8g9j',
  merchantName: 'Chai & Co',
  amount: 49_900,
  currency: 'inr',
  description: 'Masala chai + samosa',
};

describe('buildUpiUri', () => {
  it('when the payment is in INR, then the link follows the NPCI format with %20 for spaces', () => {
    const uri = buildUpiUri(payment);

    expect(uri).toBe(
      'upi://pay?pa=mer_01kb3v4y7m9q2x8c5d6e7f8g9j%40expe&pn=Chai%20%26%20Co&am=499.00&cu=INR' +
        '&tr=pay_01kb3v4y7m9q2x8c5d6e7f8g9h&tn=Masala%20chai%20%2B%20samosa',
    );
    const params = new URL(uri!).searchParams;
    expect(params.get('pn')).toBe('Chai & Co');
    expect(params.get('tn')).toBe('Masala chai + samosa');
  });

  it('when the description is long, then the note keeps its first 80 characters', () => {
    const uri = buildUpiUri({ ...payment, description: 'x'.repeat(200) });

    expect(new URL(uri!).searchParams.get('tn')).toBe('x'.repeat(80));
  });

  it('when there is no description, then the link has no note', () => {
    expect(buildUpiUri({ ...payment, description: null })).not.toContain('tn=');
  });

  it('when the payment is not in INR, then there is no UPI link', () => {
    expect(buildUpiUri({ ...payment, currency: 'usd' })).toBeNull();
  });
});

describe('formatMajorUnits', () => {
  it('when amounts have few or many digits, then they print exactly with two decimals', () => {
    expect(formatMajorUnits(1, 'inr')).toBe('0.01');
    expect(formatMajorUnits(100, 'inr')).toBe('1.00');
    expect(formatMajorUnits(100_000_000, 'inr')).toBe('1000000.00');
    expect(formatMajorUnits(9_007_199_254_740_991, 'inr')).toBe('90071992547409.91');
  });
});
