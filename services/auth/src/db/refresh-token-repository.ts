import type { Executor } from '@expe/server-kit';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { refreshTokens, type RefreshTokenRow } from './schema.js';

export async function insertRefreshToken(
  db: Executor,
  values: Pick<RefreshTokenRow, 'id' | 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>,
): Promise<void> {
  await db.insert(refreshTokens).values(values);
}

export async function findRefreshTokenByHash(
  db: Executor,
  tokenHash: string,
): Promise<RefreshTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/**
 * Spends a token. The condition makes rotation race-safe: of two concurrent refreshes with one
 * token, only the first UPDATE matches; the second sees `used_at` set and gets `false`.
 */
export async function markRefreshTokenUsed(db: Executor, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(
      and(eq(refreshTokens.id, id), isNull(refreshTokens.usedAt), isNull(refreshTokens.revokedAt)),
    )
    .returning({ id: refreshTokens.id });
  return rows.length === 1;
}

export async function revokeRefreshTokenFamily(
  db: Executor,
  familyId: string,
  now: Date,
): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Revokes every session of a user (but `exceptFamilyId`); returns the families it touched. */
export async function revokeUserRefreshTokens(
  db: Executor,
  userId: string,
  options: { now: Date; exceptFamilyId?: string },
): Promise<string[]> {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: options.now })
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        options.exceptFamilyId ? ne(refreshTokens.familyId, options.exceptFamilyId) : undefined,
      ),
    )
    .returning({ familyId: refreshTokens.familyId });
  return [...new Set(rows.map((row) => row.familyId))];
}

/** Every session (family) the user ever had, revoked or not. */
export async function listUserSessionFamilies(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.userId, userId));
  return rows.map((row) => row.familyId);
}
