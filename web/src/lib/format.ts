// The zod-free subpath: formatting money must not load the schemas (the checkout's budget).
import { currencies, type Currency } from '@expe/contracts/currencies';

function exponent(currency: string): number {
  return currencies[currency.toLowerCase() as Currency] ?? 2;
}

/** Minor units → "₹1,234.50". */
export function formatMoney(amount: number, currency = 'inr'): string {
  const digits = exponent(currency);
  return new Intl.NumberFormat(currency.toLowerCase() === 'inr' ? 'en-IN' : 'en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount / 10 ** digits);
}

/**
 * "12.50" → 1250 minor units. Returns NaN for anything that is not a plain decimal with at
 * most the currency's fraction digits, so the zod amount schema reports it.
 */
export function parseMajorAmount(text: string, currency = 'inr'): number {
  const digits = exponent(currency);
  const trimmed = text.trim().replace(/,/g, '');
  if (!new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`).test(trimmed)) return Number.NaN;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units → the text an AmountField starts with (1250 → "12.50"): parseMajorAmount's inverse. */
export function formatMajorAmount(amount: number, currency = 'inr'): string {
  const digits = exponent(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

export function formatDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString('en-IN', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function toUnixSeconds(date: string, endOfDay = false): number | undefined {
  if (!date) return undefined;
  const value = new Date(`${date}T${endOfDay ? '23:59:59' : '00:00:00'}`);
  return Number.isNaN(value.getTime()) ? undefined : Math.floor(value.getTime() / 1000);
}

/** Only http(s) URLs may be navigated to from a page: no javascript: or data: redirects. */
export function isHttpUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function titleCase(value: string): string {
  return value.replace(/_/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}
