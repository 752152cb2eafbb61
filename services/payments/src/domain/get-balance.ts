import type { Executor } from '@expe/server-kit';
import { listAccountsOfOwner } from '../db/ledger-repository.js';
import type { MerchantScope } from '../db/payment-repository.js';

export interface MerchantBalance {
  livemode: boolean;
  available: { amount: number; currency: string }[];
}

/** The merchant's balance per currency for one mode; INR shows even before the first payment. */
export async function getMerchantBalance(
  db: Executor,
  scope: MerchantScope,
): Promise<MerchantBalance> {
  const rows = await listAccountsOfOwner(db, {
    type: 'merchant',
    ownerId: scope.merchantId,
    mode: scope.mode,
  });
  const available = rows.map((row) => ({ amount: row.balance, currency: row.currency }));
  if (!available.some((item) => item.currency === 'inr')) {
    available.unshift({ amount: 0, currency: 'inr' });
  }
  return { livemode: scope.mode === 'live', available };
}
