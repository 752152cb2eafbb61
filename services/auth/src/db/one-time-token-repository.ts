import type { Executor } from '@expe/server-kit';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { oneTimeTokens, type OneTimeTokenPurpose, type OneTimeTokenRow } from './schema.js';

export async function insertOneTimeToken(
  db: Executor,
  values: Pick<OneTimeTokenRow, 'id' | 'userId' | 'purpose' | 'tokenHash' | 'expiresAt'>,
): Promise<void> {
  await db.insert(oneTimeTokens).values(values);
}

/** A token that could still be consumed now; a read-only check before expensive work. */
export async function findUsableOneTimeToken(
  db: Executor,
  tokenHash: string,
  purpose: OneTimeTokenPurpose,
  now: Date,
): Promise<OneTimeTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(oneTimeTokens)
    .where(usable(tokenHash, purpose, now))
    .limit(1);
  return row;
}

/**
 * Spends a token in one conditional UPDATE, so a token is accepted at most once even when two
 * requests present it together. `undefined` = unknown, spent, expired or for another purpose.
 */
export async function consumeOneTimeToken(
  db: Executor,
  tokenHash: string,
  purpose: OneTimeTokenPurpose,
  now: Date,
): Promise<OneTimeTokenRow | undefined> {
  const [row] = await db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(usable(tokenHash, purpose, now))
    .returning();
  return row;
}

/** Spends every outstanding token of a purpose, e.g. older reset mails once the password changed. */
export async function spendOutstandingOneTimeTokens(
  db: Executor,
  userId: string,
  purpose: OneTimeTokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oneTimeTokens.userId, userId),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
      ),
    );
}

function usable(tokenHash: string, purpose: OneTimeTokenPurpose, now: Date) {
  return and(
    eq(oneTimeTokens.tokenHash, tokenHash),
    eq(oneTimeTokens.purpose, purpose),
    isNull(oneTimeTokens.usedAt),
    gt(oneTimeTokens.expiresAt, now),
  );
}
