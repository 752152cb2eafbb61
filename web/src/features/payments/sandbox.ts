/** The sandbox's scripted outcomes, listed on the checkout page and simulator. */
export const sandboxCards = [
  { number: '4242424242424242', outcome: 'Succeeds' },
  { number: '4000000000000002', outcome: 'Declined (card_declined)' },
  { number: '4000000000009995', outcome: 'Declined (insufficient_funds)' },
  { number: '4000000000000119', outcome: 'Fails (processing_error)' },
  { number: '4000002500003155', outcome: '3-D Secure challenge' },
] as const;

export const sandboxVpas = [
  { vpa: 'success@expe', outcome: 'Succeeds' },
  { vpa: 'failure@expe', outcome: 'Fails' },
  { vpa: 'pending@expe', outcome: 'Processing, then succeeds' },
] as const;

export function formatCardNumber(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}
