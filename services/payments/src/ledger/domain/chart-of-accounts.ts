import type { Mode } from '../../db/schema.js';
import type { AccountKey } from '../db/ledger-repository.js';

export type { AccountKey };

// The chart of accounts: every account money moves between, named by its key (type, owner, mode,
// currency). The wallet and merchant accounts keep a cached balance and are locked when money
// moves; the system accounts are the sandbox's outside world and are never locked.

/**
 * The sandbox's stand-in for the outside world (cards, UPI banks); the only account that may go
 * negative. It keeps no cached balance: its balance is the sum of its entries.
 */
export const sandboxFundingAccount = (currency: string): AccountKey => ({
  type: 'system',
  ownerId: 'sandbox_funding',
  mode: null,
  currency,
});

/** Wallets hold rupees only. */
export const walletCurrency = 'inr';

export const walletAccount = (userId: string): AccountKey => ({
  type: 'wallet',
  ownerId: userId,
  mode: null,
  currency: walletCurrency,
});

export const merchantAccount = (projectId: string, mode: Mode, currency: string): AccountKey => ({
  type: 'merchant',
  ownerId: projectId,
  mode,
  currency,
});

/**
 * The money of one manual-capture payment between authorization and capture. Never negative,
 * so it can never give out more than was authorized.
 */
export const holdAccount = (paymentId: string, currency: string): AccountKey => ({
  type: 'hold',
  ownerId: paymentId,
  mode: null,
  currency,
});

/**
 * A project's money not yet available: payments sit here until their `available_on` (2 days on
 * the project clock). The existing `merchant` account (`merchantAccount`) is the
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
