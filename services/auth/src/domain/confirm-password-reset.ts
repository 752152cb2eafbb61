import { sha256Hex, withTransaction } from '@expe/server-kit';
import {
  consumeOneTimeToken,
  findUsableOneTimeToken,
  spendOutstandingOneTimeTokens,
} from '../db/one-time-token-repository.js';
import { revokeUserRefreshTokens } from '../db/refresh-token-repository.js';
import { updateUserPassword } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { announceRevokedSessions } from './sessions.js';
import { tokenInvalid } from './verify-email.js';

/**
 * Sets a new password with a reset token and signs the user out everywhere: whoever knew the
 * old password must not keep a session. The reset proves the mailbox, so it also verifies it.
 */
export async function confirmPasswordReset(
  ctx: AuthContext,
  input: { token: string; password: string },
): Promise<void> {
  const tokenHash = sha256Hex(input.token);
  // Checked before hashing so an invalid token costs no bcrypt round; spent again below.
  if (!(await findUsableOneTimeToken(ctx.db, tokenHash, 'password_reset', new Date()))) {
    throw tokenInvalid();
  }
  const passwordHash = await ctx.passwords.hash(input.password);
  const now = new Date();
  const { email, revokedFamilies } = await withTransaction(ctx.db, async (tx) => {
    const spent = await consumeOneTimeToken(tx, tokenHash, 'password_reset', now);
    if (!spent) throw tokenInvalid();
    const user = await updateUserPassword(tx, spent.userId, passwordHash, {
      now,
      markEmailVerified: true,
    });
    await spendOutstandingOneTimeTokens(tx, spent.userId, 'password_reset', now);
    return {
      email: user.email,
      revokedFamilies: await revokeUserRefreshTokens(tx, spent.userId, { now }),
    };
  });
  await announceRevokedSessions(ctx, revokedFamilies, 'password_changed');
  // The owner just proved the mailbox: earlier failed guesses must not lock them out.
  await ctx.loginThrottle.clearEmail(email);
}
