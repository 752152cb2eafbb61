import { describe, expect, it } from 'vitest';
import { readAmount } from './amount.js';
import { vpaError } from './vpa.js';

describe('readAmount: what a person typed in an AmountField', () => {
  it('when the amount has rupees and paise, then it is integer paise', () => {
    expect(readAmount('12.5', { label: 'Amount' })).toEqual({ ok: true, amount: 1250 });
    expect(readAmount(' 1,250.50 ', { label: 'Amount' })).toEqual({ ok: true, amount: 125050 });
    expect(readAmount('0.29', { label: 'Amount', currency: 'usd' })).toEqual({
      ok: true,
      amount: 29,
    });
  });

  it('when it has more decimals than the currency, then the message names the field', () => {
    expect(readAmount('1.234', { label: 'Payout amount' })).toEqual({
      ok: false,
      error: 'Enter the payout amount as a number like 100 or 100.50',
    });
    expect(readAmount('1e3', { label: 'Top-up amount' })).toMatchObject({ ok: false });
    expect(readAmount('-5', { label: 'Top-up amount' })).toMatchObject({ ok: false });
  });

  it('when it is empty, then it is refused, unless the field says what empty means', () => {
    expect(readAmount('  ', { label: 'Top-up amount' })).toEqual({
      ok: false,
      error: 'Enter the top-up amount',
    });
    const refund = { label: 'Amount', empty: 'for a full refund' };
    expect(readAmount('', refund)).toEqual({ ok: true, amount: undefined });
    expect(readAmount('ten', refund)).toEqual({
      ok: false,
      error: 'Enter the amount as a number like 100 or 100.50, or leave it empty for a full refund',
    });
  });

  it('when it is 0 or over the most allowed, then the message says so', () => {
    expect(readAmount('0.00', { label: 'Amount' })).toEqual({
      ok: false,
      error: 'The amount must be more than 0',
    });
    const payout = { label: 'Payout amount', max: { amount: 97_700, reason: 'is available' } };
    expect(readAmount('977.01', payout)).toEqual({
      ok: false,
      error: 'At most ₹977.00 is available',
    });
    expect(readAmount('977', payout)).toEqual({ ok: true, amount: 97_700 });
  });
});

describe('vpaError: a refused UPI address, worded once', () => {
  it('when nothing or not a UPI address was typed, then it asks for one like name@bank', () => {
    expect(vpaError('')).toBe('Enter your UPI address');
    expect(vpaError('asha')).toBe('Enter a UPI address such as name@bank');
    expect(vpaError('just a name', { orEmail: true })).toBe(
      'Enter a UPI address such as name@bank, or an email address',
    );
  });
});
