import type { Executor, Scope } from '@expe/server-kit';
import { areFeesEnabled, upsertBalanceSettings } from '../db/balance-transaction-repository.js';

export interface BalanceSettings {
  feesEnabled: boolean;
}

/** The project's fee setting (both modes); fees are on until turned off. */
export async function getBalanceSettings(db: Executor, scope: Scope): Promise<BalanceSettings> {
  return { feesEnabled: await areFeesEnabled(db, scope) };
}

/** Turns the sandbox fees on or off for payments that succeed from now on. */
export function updateBalanceSettings(
  tx: Executor,
  scope: Scope,
  settings: BalanceSettings,
  now: Date,
): Promise<BalanceSettings> {
  return upsertBalanceSettings(tx, scope, {
    feesEnabled: settings.feesEnabled,
    updatedAt: now,
  });
}
