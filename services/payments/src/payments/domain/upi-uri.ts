import { currencies, type Currency } from '@expe/contracts';

/** Every merchant is reachable on the sandbox UPI network at `<merchant id>@expe`. */
export function merchantVpa(merchantId: string): string {
  return `${merchantId}@expe`;
}

/** `49900` paise → `"499.00"`: integer arithmetic, so no float ever rounds an amount. */
export function formatMajorUnits(amount: number, currency: string): string {
  const exponent: number = currencies[currency as Currency] ?? 2;
  if (exponent === 0) return String(amount);
  const scale = 10 ** exponent;
  return `${Math.floor(amount / scale)}.${String(amount % scale).padStart(exponent, '0')}`;
}

const maxNoteLength = 80;

/**
 * The NPCI UPI deep link (`upi://pay?pa=…&pn=…&am=…&cu=INR&tr=…&tn=…`) a UPI app opens to pay
 * this payment; `null` for other currencies than INR. Values are percent-encoded, with spaces
 * as `%20` rather than `+`, which some UPI apps show literally.
 */
export function buildUpiUri(payment: {
  id: string;
  merchantId: string;
  merchantName: string;
  amount: number;
  currency: string;
  description: string | null;
}): string | null {
  if (payment.currency !== 'inr') return null;
  const params = new URLSearchParams({
    pa: merchantVpa(payment.merchantId),
    pn: payment.merchantName,
    am: formatMajorUnits(payment.amount, payment.currency),
    cu: 'INR',
    tr: payment.id,
  });
  if (payment.description) {
    params.set('tn', Array.from(payment.description).slice(0, maxNoteLength).join(''));
  }
  // URLSearchParams writes a space as `+` and a literal `+` as `%2B`, so this is lossless.
  return `upi://pay?${params.toString().replaceAll('+', '%20')}`;
}
