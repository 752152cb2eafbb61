import { AppError, type Executor, type Scope } from '@expe/server-kit';
import { summarizeMerchantPayments, summarizePayments } from '../db/payment-repository.js';
import type { Mode } from '../../db/schema.js';
import type { MerchantDirectory } from '../../shared/domain/context.js';

export interface MerchantStats {
  object: 'merchant_stats';
  mode: Mode;
  payments: {
    total: number;
    succeeded: number;
    /** Every failed attempt (a decline, a failed UPI request), counted per attempt. */
    failed_attempts: number;
    canceled: number;
    expired: number;
    /** Waiting for the payer, or processing. */
    open: number;
  };
  volume: { currency: string; amount: number; refunded: number }[];
  /**
   * Of the payments someone tried to pay, the share that succeeded: succeeded / (succeeded +
   * payments not succeeded with at least one failed attempt). A payment that failed once and
   * then succeeded counts as a success. `null` before anything was attempted.
   */
  success_rate: number | null;
}

/** The merchant a signed-in merchant user owns, from the merchants service. */
export async function getMerchantIdOfOwner(
  merchants: MerchantDirectory,
  userId: string,
): Promise<string> {
  const merchant = await merchants.getMerchantOfOwner(userId);
  if (!merchant) throw AppError.of('resource_missing', 'No merchant account belongs to this user');
  return merchant.id;
}

/**
 * Whose stats: one project (a key, or a merchant user's session with `Expe-Project`), or the
 * whole merchant (its owner's session without a project: the console's totals).
 */
export type StatsOwner =
  { kind: 'project'; scope: Scope } | { kind: 'merchant'; merchantId: string; mode: Mode };

export async function getMerchantStats(db: Executor, owner: StatsOwner): Promise<MerchantStats> {
  const mode = owner.kind === 'project' ? owner.scope.mode : owner.mode;
  const rows =
    owner.kind === 'project'
      ? await summarizePayments(db, owner.scope)
      : await summarizeMerchantPayments(db, owner.merchantId, owner.mode);
  const count = (status: string) =>
    rows.filter((row) => row.status === status).reduce((sum, row) => sum + row.count, 0);
  const succeeded = count('succeeded');
  const failedAttempts = rows.reduce((sum, row) => sum + row.failedAttempts, 0);
  const failedPayments = rows
    .filter((row) => row.status !== 'succeeded')
    .reduce((sum, row) => sum + row.withFailedAttempt, 0);
  const volume = new Map<string, { currency: string; amount: number; refunded: number }>();
  for (const row of rows.filter((item) => item.status === 'succeeded')) {
    volume.set(row.currency, {
      currency: row.currency,
      amount: row.amount,
      refunded: row.amountRefunded,
    });
  }
  const attempted = succeeded + failedPayments;
  return {
    object: 'merchant_stats',
    mode,
    payments: {
      total: rows.reduce((sum, row) => sum + row.count, 0),
      succeeded,
      failed_attempts: failedAttempts,
      canceled: count('canceled'),
      expired: count('expired'),
      open: count('requires_payment_method') + count('processing'),
    },
    volume: [...volume.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    success_rate: attempted === 0 ? null : Math.round((succeeded / attempted) * 10_000) / 10_000,
  };
}
