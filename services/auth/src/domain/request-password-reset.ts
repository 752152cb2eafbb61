import { withTransaction } from '@expe/server-kit';
import { findUserByEmail } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { sendEmailedToken } from './emailed-tokens.js';

/**
 * Looks the email up after the caller has its answer, so neither the response nor its timing
 * says whether an account exists. The mail (when there is one) lands in the mailbox shortly.
 */
export function requestPasswordReset(ctx: AuthContext, email: string): void {
  ctx.background.run('password reset mail', async () => {
    const user = await findUserByEmail(ctx.db, email);
    if (!user) return;
    await withTransaction(ctx.db, (tx) => sendEmailedToken(ctx, tx, user, 'password_reset'));
  });
}
