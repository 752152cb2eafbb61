import { sha256Hex } from '@expe/server-kit';
import { findRefreshTokenByHash } from '../db/refresh-token-repository.js';
import type { AuthContext } from './context.js';
import { revokeSession } from './sessions.js';

/** Revokes the token's session; unknown tokens are ignored so logout is no token oracle. */
export async function logOut(ctx: AuthContext, refreshToken: string | undefined): Promise<void> {
  if (!refreshToken) return;
  const token = await findRefreshTokenByHash(ctx.db, sha256Hex(refreshToken));
  if (token) await revokeSession(ctx, token.familyId, 'signed_out');
}
