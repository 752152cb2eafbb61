import { errorCodes } from '@expe/contracts';
import { AppError, newId, type Executor } from '@expe/server-kit';
import {
  accountKeyString,
  insufficientFundsCode,
  ledgerEntriesJson,
  ledgerRefusalOf,
  postLedgerRows,
  type AccountKey,
} from '../db/ledger-repository.js';
import type { LedgerKind } from '../../db/schema.js';

export interface LedgerPosting {
  kind: LedgerKind;
  /** The business object the movement belongs to (pay_…, re_…, txn_…, top_…). */
  reference: string;
  /** Positive amounts credit the account, negative ones debit it. */
  entries: { account: AccountKey; amount: number }[];
  createdAt?: Date;
}

export interface PostedLedgerTransaction {
  id: string;
  /** Each account's balance after the movement. */
  balanceOf(account: AccountKey): number;
}

/** A non-system account would go below zero. Callers translate it for their API. */
export class InsufficientFundsError extends AppError {
  constructor(readonly account: AccountKey) {
    super(
      'insufficient_funds',
      errorCodes.insufficient_funds.status,
      'There is not enough money in the account for this',
      {
        type: 'card_error',
      },
    );
    this.name = 'InsufficientFundsError';
  }
}

/**
 * A posting checked and given its ids, as `payments.post_ledger_transaction` (migration 0002)
 * takes it: for a use case that calls the function from its own SQL (a wallet transfer in one
 * statement, migration 0014) instead of through {@link postLedgerTransaction}.
 */
export interface PreparedLedgerPosting {
  id: string;
  kind: LedgerKind;
  reference: string;
  createdAt: Date;
  /** The `p_entries` argument of the function, as JSON. */
  entriesJson: string;
  /** The function's refusal (insufficient funds, balance too large) in a driver error, as the API's error. */
  refusalOf(error: unknown): AppError | undefined;
}

/** Checks a posting (balanced, non-zero safe integers) and gives it and its entries ids. */
export function prepareLedgerPosting(posting: LedgerPosting): PreparedLedgerPosting {
  const deltas = netDeltas(posting);
  const id = newId('ltx');
  return {
    id,
    kind: posting.kind,
    reference: posting.reference,
    createdAt: posting.createdAt ?? new Date(),
    entriesJson: ledgerEntriesJson(
      posting.entries.map((entry) => ({
        entryId: newId('le'),
        account: entry.account,
        amount: entry.amount,
        newAccountId: newId('acct'),
      })),
    ),
    refusalOf(error) {
      const refusal = ledgerRefusalOf(error);
      if (!refusal) return undefined;
      const account = deltas.get(refusal.accountKey)?.account;
      if (refusal.code === insufficientFundsCode && account) {
        return new InsufficientFundsError(account);
      }
      return AppError.of('parameter_invalid', 'The amount is too large for this account', {
        param: 'amount',
      });
    },
  };
}

/**
 * Posts one balanced money movement inside the caller's database transaction, in one round trip
 * (`payments.post_ledger_transaction`, migration 0002): creates missing accounts, locks the
 * wallet and merchant accounts of the movement in id order, refuses to take one below zero,
 * updates their cached balances and writes the entries. System accounts are not locked and keep
 * no cached balance, so card payments, top-ups and refunds never queue on the sandbox's funding
 * account. The database checks the same rules again (CHECK constraints and a deferred trigger
 * that every transaction sums to zero), so a bug here fails the commit instead of corrupting
 * money. Call it as late as the use case allows: its row locks last until COMMIT.
 */
export async function postLedgerTransaction(
  tx: Executor,
  posting: LedgerPosting,
): Promise<PostedLedgerTransaction> {
  const prepared = prepareLedgerPosting(posting);
  let rows: { account_key: string; balance: string }[];
  try {
    rows = await postLedgerRows(tx, prepared);
  } catch (error) {
    throw prepared.refusalOf(error) ?? error;
  }
  const balances = new Map(rows.map((row) => [row.account_key, Number(row.balance)]));
  const { id } = prepared;
  return {
    id,
    balanceOf(account) {
      const balance = balances.get(accountKeyString(account));
      if (balance === undefined) throw new Error(`${accountKeyString(account)} is not in ${id}`);
      return balance;
    },
  };
}

/** Validates the posting and folds its entries into one delta per account. */
function netDeltas(posting: LedgerPosting): Map<string, { account: AccountKey; delta: number }> {
  if (posting.entries.length < 2) throw new Error('a ledger transaction needs two or more entries');
  const sums = new Map<string, number>();
  let volume = 0;
  const deltas = new Map<string, { account: AccountKey; delta: number }>();
  for (const { account, amount } of posting.entries) {
    if (!Number.isSafeInteger(amount) || amount === 0) {
      throw new Error(`ledger amounts must be non-zero safe integers, got ${amount}`);
    }
    volume += Math.abs(amount);
    if (!Number.isSafeInteger(volume)) throw new Error('ledger transaction exceeds safe integers');
    sums.set(account.currency, (sums.get(account.currency) ?? 0) + amount);
    const key = accountKeyString(account);
    const current = deltas.get(key);
    deltas.set(key, { account, delta: (current?.delta ?? 0) + amount });
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new Error(`ledger entries in ${currency} sum to ${sum}, not 0`);
  }
  return deltas;
}
