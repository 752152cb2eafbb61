import { AppError, type Executor } from '@expe/server-kit';
import { findAccount, insertAccountsIfAbsent, walletAccount } from '../../ledger/index.js';
import { sumHeldByWallet } from '../db/wallet-repository.js';
import type { DirectoryUser, UserDirectory } from '../../shared/domain/context.js';

/** The signed-in user as auth knows them (name and VPA for statements and transfers). */
export async function getWalletOwner(users: UserDirectory, userId: string): Promise<DirectoryUser> {
  const user = await users.getUser(userId);
  if (!user) throw AppError.of('resource_missing', 'Your user account could not be found');
  return user;
}

/** The user's INR wallet; created, empty, on first use. */
export async function getWalletBalance(db: Executor, userId: string): Promise<number> {
  const key = walletAccount(userId);
  const existing = await findAccount(db, key);
  if (existing) return existing.balance;
  await insertAccountsIfAbsent(db, [key]);
  return (await findAccount(db, key))?.balance ?? 0;
}

/** The user's money held for manual-capture payments until they are captured or released. */
export function getWalletHeld(db: Executor, userId: string): Promise<number> {
  return sumHeldByWallet(db, userId);
}
