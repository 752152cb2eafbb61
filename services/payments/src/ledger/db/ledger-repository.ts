import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { newId, type Executor } from '@expe/server-kit';
import { queryRows } from '../../db/raw.js';
import {
  accounts,
  ledgerTransactions,
  type AccountType,
  type LedgerKind,
  type Mode,
} from '../../db/schema.js';

export type AccountRow = typeof accounts.$inferSelect;

/** What identifies an account: the UNIQUE (type, owner_id, mode, currency) key. */
export interface AccountKey {
  type: AccountType;
  ownerId: string;
  mode: Mode | null;
  currency: string;
}

export function accountKeyString(key: AccountKey): string {
  return `${key.type}/${key.ownerId}/${key.mode ?? '-'}/${key.currency}`;
}

function matchesKey(key: AccountKey): SQL {
  return and(
    eq(accounts.type, key.type),
    eq(accounts.ownerId, key.ownerId),
    key.mode === null ? isNull(accounts.mode) : eq(accounts.mode, key.mode),
    eq(accounts.currency, key.currency),
  ) as SQL;
}

export async function findAccount(db: Executor, key: AccountKey): Promise<AccountRow | undefined> {
  const [row] = await db.select().from(accounts).where(matchesKey(key));
  return row;
}

export async function findAccounts(db: Executor, keys: AccountKey[]): Promise<AccountRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(accounts)
    .where(or(...keys.map(matchesKey)));
}

/**
 * Creates the accounts that do not exist yet. Sorted, so two transactions creating the same
 * accounts wait for each other in the same order instead of deadlocking on the unique index.
 */
export async function insertAccountsIfAbsent(db: Executor, keys: AccountKey[]): Promise<void> {
  if (keys.length === 0) return;
  const sorted = [...keys].sort((a, b) => accountKeyString(a).localeCompare(accountKeyString(b)));
  await db
    .insert(accounts)
    .values(
      sorted.map((key) => ({
        id: newId('acct'),
        type: key.type,
        ownerId: key.ownerId,
        mode: key.mode,
        currency: key.currency,
        allowsNegative: key.type === 'system',
      })),
    )
    .onConflictDoNothing();
}

/** SQLSTATEs the ledger function raises; DETAIL names the account key. */
export const insufficientFundsCode = 'EX402';
const balanceTooLargeCode = 'EX400';

/** The entries as the ledger function's `p_entries` (jsonb) takes them. */
export function ledgerEntriesJson(
  entries: { entryId: string; account: AccountKey; amount: number; newAccountId: string }[],
): string {
  return JSON.stringify(
    entries.map((entry) => ({
      entry_id: entry.entryId,
      account_type: entry.account.type,
      owner_id: entry.account.ownerId,
      mode: entry.account.mode,
      currency: entry.account.currency,
      amount: entry.amount,
      new_account_id: entry.newAccountId,
    })),
  );
}

/**
 * Calls `payments.post_ledger_transaction` (migration 0002): one round trip that writes the
 * transaction and its entries, locks and updates the cached balances, and returns each changed
 * balance by account key. Account ids for accounts that do not exist yet are passed in, so ids
 * keep their `acct_` prefix.
 */
export async function postLedgerRows(
  db: Executor,
  posting: {
    id: string;
    kind: LedgerKind;
    reference: string;
    createdAt: Date;
    entriesJson: string;
  },
): Promise<{ account_key: string; balance: string }[]> {
  return queryRows(
    db,
    sql`select account_key, balance::text as balance from payments.post_ledger_transaction(
      ${posting.id}, ${posting.kind}, ${posting.reference},
      ${posting.createdAt.toISOString()}::timestamptz, ${posting.entriesJson}::jsonb)`,
  );
}

/** The ledger function's refusal (not enough money, balance too large) inside a driver error. */
export function ledgerRefusalOf(error: unknown): { code: string; accountKey: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const { code, detail } = current as { code?: unknown; detail?: unknown };
    if (
      (code === insufficientFundsCode || code === balanceTooLargeCode) &&
      typeof detail === 'string'
    ) {
      return { code, accountKey: detail };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function listAccountsOfOwner(
  db: Executor,
  filter: { type: AccountType; ownerId: string; mode: Mode | null },
): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(
      and(
        eq(accounts.type, filter.type),
        eq(accounts.ownerId, filter.ownerId),
        filter.mode === null ? isNull(accounts.mode) : eq(accounts.mode, filter.mode),
      ),
    )
    .orderBy(asc(accounts.currency));
}

export async function countLedgerTransactions(
  db: Executor,
  kind: LedgerKind,
  references: string[],
): Promise<number> {
  if (references.length === 0) return 0;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(ledgerTransactions)
    .where(
      and(eq(ledgerTransactions.kind, kind), inArray(ledgerTransactions.reference, references)),
    );
  return row?.n ?? 0;
}
