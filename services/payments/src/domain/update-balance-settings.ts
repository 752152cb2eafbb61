import type { Executor } from '@expe/server-kit';
import { areFeesEnabled, upsertBalanceSettings } from '../db/balance-transaction-repository.js';

export interface BalanceSettings {
  feesEnabled: boolean;
}

/** The merchant's fee setting (both modes); fees are on until turned off. */
export async function getBalanceSettings(
  db: Executor,
  merchantId: string,
): Promise<BalanceSettings> {
  return { feesEnabled: await areFeesEnabled(db, merchantId) };
}

/** Turns the sandbox fees on or off for payments that succeed from now on. */
export function updateBalanceSettings(
  tx: Executor,
  merchantId: string,
  settings: BalanceSettings,
  now: Date,
): Promise<BalanceSettings> {
  return upsertBalanceSettings(tx, merchantId, {
    feesEnabled: settings.feesEnabled,
    updatedAt: now,
  });
}
