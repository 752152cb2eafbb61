import { AppError, sha256Hex, withTransaction } from '@expe/server-kit';
import { consumeOneTimeToken } from '../db/one-time-token-repository.js';
import type { UserRow } from '../db/schema.js';
import { markEmailVerified } from '../db/user-repository.js';
import type { AuthContext } from './context.js';

export async function verifyEmail(ctx: AuthContext, token: string): Promise<UserRow> {
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
    const spent = await consumeOneTimeToken(tx, sha256Hex(token), 'email_verification', now);
    const user = spent && (await markEmailVerified(tx, spent.userId, now));
    if (!user) throw tokenInvalid();
    return user;
  });
}

export const tokenInvalid = () =>
  AppError.of('token_invalid', 'The token is invalid, expired or already used', { param: 'token' });
