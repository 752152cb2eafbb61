import type { changePasswordInputSchema, z } from '@expe/contracts';
import { AppError, withTransaction } from '@expe/server-kit';
import { spendOutstandingOneTimeTokens } from '../db/one-time-token-repository.js';
import { revokeUserRefreshTokens } from '../db/refresh-token-repository.js';
import { updateUserPassword } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { getUser } from './get-user.js';
import { announceRevokedSessions } from './sessions.js';

/** Changes the password and signs out every other session; the caller's stays. */
export async function changePassword(
  ctx: AuthContext,
  caller: { userId: string; sessionId: string },
  input: z.infer<typeof changePasswordInputSchema>,
): Promise<void> {
  const user = await getUser(ctx.db, caller.userId);
  if (!(await ctx.passwords.verify(input.current_password, user.passwordHash))) {
    throw AppError.of('parameter_invalid', 'The current password is incorrect', {
      param: 'current_password',
    });
  }
  const passwordHash = await ctx.passwords.hash(input.new_password);
  const now = new Date();
  const revokedFamilies = await withTransaction(ctx.db, async (tx) => {
    await updateUserPassword(tx, user.id, passwordHash, { now });
    await spendOutstandingOneTimeTokens(tx, user.id, 'password_reset', now);
    return revokeUserRefreshTokens(tx, user.id, { now, exceptFamilyId: caller.sessionId });
  });
  await announceRevokedSessions(ctx, revokedFamilies, 'password_changed');
}
