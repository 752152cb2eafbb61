import type { Executor } from '@expe/server-kit';
import { listAccountsOfOwner } from '../../ledger/index.js';
import type { Scope } from '@expe/server-kit';

export interface MerchantBalance {
  livemode: boolean;
  /** What payouts and refunds can use now (the `merchant` ledger accounts). */
  available: { amount: number; currency: string }[];
  /** Payments not yet available (the `merchant_pending` ledger accounts). */
  pending: { amount: number; currency: string }[];
}

/**
 * The merchant's balance per currency for one mode, available and pending, read from the
 * ledger's cached balances; every currency that has either shows in both, INR first and always.
 */
export async function getMerchantBalance(db: Executor, scope: Scope): Promise<MerchantBalance> {
  const owner = { ownerId: scope.projectId, mode: scope.mode };
  const [available, pending] = await Promise.all([
    listAccountsOfOwner(db, { type: 'merchant', ...owner }),
    listAccountsOfOwner(db, { type: 'merchant_pending', ...owner }),
  ]);
  const others = [...available, ...pending]
    .map((row) => row.currency)
    .filter((currency) => currency !== 'inr');
  const currencies = ['inr', ...[...new Set(others)].sort()];
  const amountIn = (rows: typeof available, currency: string) =>
    rows.find((row) => row.currency === currency)?.balance ?? 0;
  return {
    livemode: scope.mode === 'live',
    available: currencies.map((currency) => ({ amount: amountIn(available, currency), currency })),
    pending: currencies.map((currency) => ({ amount: amountIn(pending, currency), currency })),
  };
}
