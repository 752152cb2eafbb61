/**
 * The message a VpaField shows when the contract's `vpaSchema` refuses what was typed: the one
 * wording of a bad UPI address in the web app, naming the field. Zod-free, so the checkout's UPI
 * form can word its error before the schemas it loads on demand have arrived.
 */
export function vpaError(text: string, { orEmail = false }: { orEmail?: boolean } = {}): string {
  if (!text.trim())
    return orEmail ? 'Enter a UPI address or an email address' : 'Enter your UPI address';
  return orEmail
    ? 'Enter a UPI address such as name@bank, or an email address'
    : 'Enter a UPI address such as name@bank';
}
