import type { Executor } from '@expe/server-kit';
import { findAccount, walletAccount } from '../../ledger/index.js';
import type { Page, PageRequest } from '@expe/server-kit';
import {
  listWalletEntries,
  type WalletEntryRow,
  type WalletTransactionType,
} from '../db/wallet-repository.js';

/**
 * The wallet's statement, newest first: every ledger entry of the wallet with what it was for and
 * who was on the other side.
 */
export async function listWalletTransactions(
  db: Executor,
  userId: string,
  filter: { type?: WalletTransactionType | undefined },
  page: PageRequest,
): Promise<Page<WalletEntryRow>> {
  const wallet = await findAccount(db, walletAccount(userId));
  if (!wallet) return { rows: [], hasMore: false };
  return listWalletEntries(db, wallet.id, filter, page);
}
