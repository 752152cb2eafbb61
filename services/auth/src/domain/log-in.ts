import type { LoginInput } from '@expe/contracts';
import { AppError, rateLimitHeaders } from '@expe/server-kit';
import { findUserByEmail } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { issueSession, type IssuedSession } from './sessions.js';

export async function logIn(
  ctx: AuthContext,
  input: LoginInput,
  clientIp: string | undefined,
): Promise<IssuedSession> {
  const attempt = { email: input.email, clientIp };
  const blocked = await ctx.loginThrottle.check(attempt);
  if (blocked) {
    throw AppError.of(
      'too_many_login_attempts',
      'Too many failed sign-in attempts; try again later',
      {
        headers: rateLimitHeaders(blocked),
      },
    );
  }
  const user = await findUserByEmail(ctx.db, input.email);
  const isPasswordRight = await ctx.passwords.verify(input.password, user?.passwordHash);
  // A deactivated account answers like a wrong password: no hint that it exists.
  if (!user || !isPasswordRight || user.deactivatedAt) {
    await ctx.loginThrottle.recordFailure(attempt);
    // One message for both cases, so the answer does not tell which emails have accounts.
    throw AppError.of('invalid_credentials', 'Incorrect email or password');
  }
  await ctx.loginThrottle.clearEmail(input.email);
  return issueSession(ctx, ctx.db, user);
}
