import type { Mode } from '../../db/schema.js';
import type { AccountKey } from './ledger.js';

/**
 * A project's money not yet available: payments sit here until their `available_on` (2 days on
 * the project clock). The existing `merchant` account (ledger.ts `merchantAccount`) is the
 * available balance, from which payouts are paid.
 */
export const merchantPendingAccount = (
  projectId: string,
  mode: Mode,
  currency: string,
): AccountKey => ({ type: 'merchant_pending', ownerId: projectId, mode, currency });

/** Where the sandbox's fees go. A system account: no cached balance, never locked. */
export const sandboxFeesAccount = (currency: string): AccountKey => ({
  type: 'system',
  ownerId: 'sandbox_fees',
  mode: null,
  currency,
});

/** The outside world a payout is paid into (the merchant's bank); money of failed payouts returns. */
export const sandboxPayoutsAccount = (currency: string): AccountKey => ({
  type: 'system',
  ownerId: 'sandbox_payouts',
  mode: null,
  currency,
});
