import { notFound, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import {
  findScopedBalanceTransaction,
  listBalanceTransactions,
  type BalanceTransactionFilter,
  type BalanceTransactionRow,
} from '../db/balance-transaction-repository.js';
import type { DisputeStatus, PayoutStatus } from '../../db/balance-schema.js';
import { findScopedDispute, listDisputes, type DisputeRow } from '../db/dispute-repository.js';
import type { Scope } from '@expe/server-kit';
import { findScopedPayout, listPayouts, type PayoutRow } from '../db/payout-repository.js';

// Reads of the merchant's money objects; another merchant's or mode's answer 404 like none.

export async function getBalanceTransaction(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<BalanceTransactionRow> {
  const row = await findScopedBalanceTransaction(db, scope, id);
  if (!row) throw notFound('balance_transaction', id);
  return row;
}

export function listMerchantBalanceTransactions(
  db: Executor,
  filter: BalanceTransactionFilter,
  page: PageRequest,
): Promise<Page<BalanceTransactionRow>> {
  return listBalanceTransactions(db, filter, page);
}

export async function getPayout(db: Executor, scope: Scope, id: string): Promise<PayoutRow> {
  const row = await findScopedPayout(db, scope, id);
  if (!row) throw notFound('payout', id);
  return row;
}

export function listMerchantPayouts(
  db: Executor,
  filter: Scope & { status?: PayoutStatus | undefined },
  page: PageRequest,
): Promise<Page<PayoutRow>> {
  return listPayouts(db, filter, page);
}

export async function getDispute(db: Executor, scope: Scope, id: string): Promise<DisputeRow> {
  const row = await findScopedDispute(db, scope, id);
  if (!row) throw notFound('dispute', id);
  return row;
}

export function listMerchantDisputes(
  db: Executor,
  filter: Scope & {
    status?: DisputeStatus | undefined;
    paymentId?: string | undefined;
  },
  page: PageRequest,
): Promise<Page<DisputeRow>> {
  return listDisputes(db, filter, page);
}
