import { notFound, withTransaction } from '@expe/server-kit';
import { spendOutstandingOneTimeTokens } from '../db/one-time-token-repository.js';
import {
  listUserSessionFamilies,
  revokeUserRefreshTokens,
} from '../db/refresh-token-repository.js';
import type { UserRow } from '../db/schema.js';
import { deactivateUser as markDeactivated } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { announceRevokedSessions } from './sessions.js';

/**
 * Deactivates an account (the user deleting it, or an admin disabling it): it can no longer sign
 * in or refresh, and every session it has is revoked, so access tokens that have not expired yet
 * are refused by the gateway on their next request (issue 11, finding 8). The row stays: the
 * ledger and other services' records still name the user.
 *
 * Every session of the user is announced, not only those revoked now, so calling this again
 * after a Redis failure repairs what the first call could not announce.
 */
export async function deactivateUser(ctx: AuthContext, userId: string): Promise<UserRow> {
  const now = new Date();
  const user = await withTransaction(ctx.db, async (tx) => {
    const row = await markDeactivated(tx, userId, now);
    if (!row) throw notFound('user', userId);
    await revokeUserRefreshTokens(tx, userId, { now });
    await spendOutstandingOneTimeTokens(tx, userId, 'password_reset', now);
    return row;
  });
  await announceRevokedSessions(
    ctx,
    await listUserSessionFamilies(ctx.db, userId),
    'account_deactivated',
  );
  return user;
}
