import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { newId, type Executor } from '@expe/server-kit';
import {
  accounts,
  ledgerEntries,
  ledgerTransactions,
  type AccountType,
  type LedgerKind,
  type Mode,
} from './schema.js';

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

/**
 * Locks the accounts of a movement in ascending id order. Every writer locks in that one
 * order, so two movements over the same accounts queue instead of deadlocking.
 */
export async function lockAccountsInIdOrder(
  db: Executor,
  keys: AccountKey[],
): Promise<AccountRow[]> {
  return db
    .select()
    .from(accounts)
    .where(or(...keys.map(matchesKey)))
    .orderBy(asc(accounts.id))
    .for('update');
}

/** Adds each delta to its account's cached balance in one statement. */
export async function addToBalances(
  db: Executor,
  deltas: { accountId: string; delta: number }[],
): Promise<void> {
  if (deltas.length === 0) return;
  const values = sql.join(
    deltas.map(({ accountId, delta }) => sql`(${accountId}::text, ${delta}::bigint)`),
    sql`, `,
  );
  await db.execute(sql`
    update ${accounts} set balance = ${accounts.balance} + v.delta
    from (values ${values}) as v(id, delta)
    where ${accounts.id} = v.id`);
}

export async function insertLedgerTransaction(
  db: Executor,
  transaction: { id: string; kind: LedgerKind; reference: string; createdAt: Date },
  entries: { accountId: string; amount: number; currency: string }[],
): Promise<void> {
  await db.insert(ledgerTransactions).values(transaction);
  await db.insert(ledgerEntries).values(
    entries.map((entry) => ({
      id: newId('le'),
      transactionId: transaction.id,
      accountId: entry.accountId,
      amount: entry.amount,
      currency: entry.currency,
    })),
  );
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
