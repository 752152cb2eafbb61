import { AppError, newId, type Executor } from '@expe/server-kit';
import { insertTopup, sumTopupsSince, type TopupRow } from '../db/wallet-repository.js';
import { recordEvent } from '../../events/domain/events.js';
import {
  postLedgerTransaction,
  sandboxFundingAccount,
  walletAccount,
  walletCurrency,
} from '../../ledger/index.js';
import { toTopupResource } from './wallet-resources.js';

export interface TopUpCommand {
  userId: string;
  amount: number;
  /** Most a user may add per UTC day, in paise. */
  dailyLimit: number;
}

const startOfUtcDay = (date: Date) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

/**
 * Adds sandbox money to the user's wallet, within a daily limit. The limit is checked after the
 * wallet row is locked by the ledger posting, so concurrent top-ups of one user are counted
 * one after the other and cannot slip past the limit together.
 */
export async function topUpWallet(
  tx: Executor,
  command: TopUpCommand,
): Promise<{ topup: TopupRow; balance: number }> {
  const now = new Date();
  const wallet = walletAccount(command.userId);
  const topup = await insertTopup(tx, {
    id: newId('top'),
    userId: command.userId,
    amount: command.amount,
    currency: walletCurrency,
    createdAt: now,
  });
  const posted = await postLedgerTransaction(tx, {
    kind: 'topup',
    reference: topup.id,
    createdAt: now,
    entries: [
      { account: sandboxFundingAccount(walletCurrency), amount: -command.amount },
      { account: wallet, amount: command.amount },
    ],
  });
  const toppedUpToday = await sumTopupsSince(tx, command.userId, startOfUtcDay(now));
  if (toppedUpToday > command.dailyLimit) {
    const left = Math.max(0, command.dailyLimit - (toppedUpToday - command.amount));
    throw AppError.of(
      'topup_limit_exceeded',
      `This top-up would pass your daily limit of ${command.dailyLimit} paise; ${left} paise left today`,
      { param: 'amount' },
    );
  }
  const balance = posted.balanceOf(wallet);
  await recordEvent(tx, {
    type: 'topup.succeeded',
    mode: 'test',
    merchantId: null,
    projectId: null,
    userIds: [command.userId],
    objectId: topup.id,
    paymentId: null,
    data: toTopupResource(topup, balance),
    createdAt: now,
  });
  return { topup, balance };
}
