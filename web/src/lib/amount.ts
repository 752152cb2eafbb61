// Zod-free like format.ts: the forms that read amounts stay out of the checkout's budget anyway,
// but nothing here needs the schemas.
import { currencies, type Currency } from '@expe/contracts/currencies';
import { formatMoney, parseMajorAmount } from './format.js';

/** What an AmountField asks for: its label (named in every message) and the money's rules. */
export interface AmountRules {
  /** The field's label, as the person sees it ("Payout amount"); messages name it. */
  label: string;
  currency?: string;
  /** What an empty field means ("for a full refund"); without it the field must be filled. */
  empty?: string;
  /** The most it may be, and what that limit is ("is available"): "At most ₹977.00 is available". */
  max?: { amount: number; reason: string };
}

export type AmountReading<Amount> = { ok: true; amount: Amount } | { ok: false; error: string };

/**
 * What a person typed in an AmountField ("1,250.50"), in integer minor units (125050), or the
 * message the field shows: the one place the web app turns typed money into the wire's amount.
 */
export function readAmount(
  text: string,
  rules: AmountRules & { empty: string },
): AmountReading<number | undefined>;
export function readAmount(text: string, rules: AmountRules): AmountReading<number>;
export function readAmount(
  text: string,
  { label, currency = 'inr', empty, max }: AmountRules,
): AmountReading<number | undefined> {
  // "Payout amount" → "the payout amount", but "UPI …" keeps its capitals.
  const name = /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
  if (!text.trim()) {
    return empty === undefined
      ? { ok: false, error: `Enter the ${name}` }
      : { ok: true, amount: undefined };
  }
  const amount = parseMajorAmount(text, currency);
  if (!Number.isSafeInteger(amount)) {
    const digits = currencies[currency.toLowerCase() as Currency] ?? 2;
    const example = digits > 0 ? `like 100 or 100.${'5'.padEnd(digits, '0')}` : 'like 100';
    const orEmpty = empty === undefined ? '' : `, or leave it empty ${empty}`;
    return { ok: false, error: `Enter the ${name} as a number ${example}${orEmpty}` };
  }
  if (amount <= 0) return { ok: false, error: `The ${name} must be more than 0` };
  if (max && amount > max.amount) {
    return { ok: false, error: `At most ${formatMoney(max.amount, currency)} ${max.reason}` };
  }
  return { ok: true, amount };
}
