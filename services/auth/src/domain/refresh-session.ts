import { sha256Hex, withTransaction } from '@expe/server-kit';
import { findRefreshTokenByHash, markRefreshTokenUsed } from '../db/refresh-token-repository.js';
import { findUserById } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import {
  invalidRefreshToken,
  issueSession,
  refreshTokenReused,
  revokeSession,
  type IssuedSession,
} from './sessions.js';

/**
 * Rotates a refresh token. A spent token presented again means two parties hold the family
 * (one of them a thief), and there is no telling which: the whole session is revoked.
 */
export async function refreshSession(
  ctx: AuthContext,
  refreshToken: string,
): Promise<IssuedSession> {
  const now = new Date();
  const token = await findRefreshTokenByHash(ctx.db, sha256Hex(refreshToken));
  if (!token) throw invalidRefreshToken();
  if (token.usedAt || token.revokedAt) {
    await revokeSession(ctx, token.familyId, 'refresh_token_reused');
    throw refreshTokenReused();
  }
  if (token.expiresAt <= now) throw invalidRefreshToken();
  const user = await findUserById(ctx.db, token.userId);
  if (!user || user.deactivatedAt) throw invalidRefreshToken();

  const session = await withTransaction(ctx.db, async (tx) => {
    // Lost the race against a concurrent refresh of the same token: that is a reuse too.
    if (!(await markRefreshTokenUsed(tx, token.id, now))) return undefined;
    return issueSession(ctx, tx, user, token.familyId);
  });
  if (!session) {
    await revokeSession(ctx, token.familyId, 'refresh_token_reused');
    throw refreshTokenReused();
  }
  return session;
}
