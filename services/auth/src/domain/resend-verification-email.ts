import { withTransaction } from '@expe/server-kit';
import type { AuthContext } from './context.js';
import { sendEmailedToken } from './emailed-tokens.js';
import { getUser } from './get-user.js';

/** Sends a fresh verification mail; nothing when the address is already verified. */
export async function resendVerificationEmail(ctx: AuthContext, userId: string): Promise<void> {
  const user = await getUser(ctx.db, userId);
  if (user.emailVerifiedAt) return;
  await withTransaction(ctx.db, (tx) => sendEmailedToken(ctx, tx, user, 'email_verification'));
}
