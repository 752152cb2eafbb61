import { describe, expect, it } from 'vitest';
import { formatMoney, isHttpUrl, parseMajorAmount } from './format.js';

describe('money and URL helpers', () => {
  it('parses rupees into paise without floating-point drift', () => {
    expect(parseMajorAmount('0.29')).toBe(29);
    expect(parseMajorAmount('19.99')).toBe(1999);
    expect(parseMajorAmount('1,000')).toBe(100000);
    expect(parseMajorAmount('1.5')).toBe(150);
    expect(Number.isNaN(parseMajorAmount('1.005'))).toBe(true);
    expect(Number.isNaN(parseMajorAmount('1e3'))).toBe(true);
  });

  it('formats minor units in the currency', () => {
    expect(formatMoney(49900, 'inr')).toBe('₹499.00');
    expect(formatMoney(1050, 'usd')).toBe('$10.50');
  });

  it('allows only http(s) return URLs', () => {
    expect(isHttpUrl('https://shop.example/thanks')).toBe(true);
    expect(isHttpUrl('javascript:alert(1)')).toBe(false);
    expect(isHttpUrl('data:text/html,x')).toBe(false);
    expect(isHttpUrl(null)).toBe(false);
  });
});
