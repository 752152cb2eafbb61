/**
 * The sandbox's fees: 2% of a successful payment plus a fixed part — ₹3 (300 paise)
 * for INR, 30 minor units for any other currency (a Stripe-like 0.30) — rounded half up to a
 * whole minor unit, and never more than the payment itself. Plain integer arithmetic in BigInt,
 * so no amount is ever a float.
 */
export const feePercent = 2;
export const fixedFeeInr = 300;
export const fixedFeeOtherCurrencies = 30;

/** Funds of a payment become available this long after it succeeded (on the project clock). */
export const availabilityDelayMs = 2 * 24 * 60 * 60 * 1000;

export function fixedFee(currency: string): number {
  return currency === 'inr' ? fixedFeeInr : fixedFeeOtherCurrencies;
}

/** `numerator / denominator` rounded half up, for non-negative integers. */
function divideRoundingHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** The fee on a payment of `amount` minor units (0 when the merchant turned fees off). */
export function sandboxFee(amount: number, currency: string, isEnabled = true): number {
  if (!isEnabled) return 0;
  const percent = divideRoundingHalfUp(BigInt(amount) * BigInt(feePercent), 100n);
  return Math.min(amount, Number(percent) + fixedFee(currency));
}

/**
 * The part of a payment's fee that goes back with money taken back from it (a refund or a
 * dispute), so that a payment refunded or disputed in full costs the merchant nothing. Counted on
 * the running total, so partial refunds add up to the whole fee exactly:
 * share = round(fee·after/captured) − round(fee·before/captured).
 */
export function returnedFeeShare(
  fee: number,
  captured: number,
  takenBackBefore: number,
  takenBackAfter: number,
): number {
  if (fee === 0 || captured === 0) return 0;
  const upTo = (taken: number) =>
    divideRoundingHalfUp(BigInt(fee) * BigInt(taken), BigInt(captured));
  return Number(upTo(takenBackAfter) - upTo(takenBackBefore));
}

export function availableOn(succeededAt: Date): Date {
  return new Date(succeededAt.getTime() + availabilityDelayMs);
}
