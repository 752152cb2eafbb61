import type { RegisterInput } from '@expe/contracts';
import {
  AppError,
  type Executor,
  isUniqueViolation,
  newId,
  withTransaction,
} from '@expe/server-kit';
import type { NewUserRow, UserRow } from '../db/schema.js';
import { findUserByEmail, insertUser } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { sendEmailedToken } from './emailed-tokens.js';
import { issueSession, type IssuedSession } from './sessions.js';
import { baseHandle, handleCandidate, toVpa } from './vpa.js';

const maxVpaAttempts = 12;

/**
 * Creates the account, its VPA, a verification mail and a first session. A merchant also gets
 * its merchant record from the merchants service.
 *
 * The merchant is created before the user row, under the user id chosen here, instead of inside
 * the user's open transaction: in a single-process run every service shares one embedded
 * database connection, and the merchants service could not write while this transaction held
 * it. If the merchants service refuses, nothing has been written here.
 */
export async function registerUser(ctx: AuthContext, input: RegisterInput): Promise<IssuedSession> {
  if (await findUserByEmail(ctx.db, input.email)) throw emailTaken();
  const passwordHash = await ctx.passwords.hash(input.password);
  const userId = newId('usr');
  // Operators name their admins in ADMIN_EMAILS; nobody can ask for the role through the API.
  const role = ctx.config.ADMIN_EMAILS.includes(input.email) ? 'admin' : input.role;
  const merchant =
    role === 'merchant'
      ? await ctx.merchants.createMerchant({
          ownerUserId: userId,
          name: input.name,
          email: input.email,
        })
      : undefined;
  try {
    return await withTransaction(ctx.db, async (tx) => {
      const user = await insertUserWithFreeVpa(tx, {
        id: userId,
        email: input.email,
        name: input.name,
        passwordHash,
        role,
      });
      await sendEmailedToken(ctx, tx, user, 'email_verification');
      return issueSession(ctx, tx, user);
    });
  } catch (error) {
    if (merchant) {
      ctx.logger.warn(
        { userId, merchantId: merchant.id },
        'registration failed after the merchant was created; the merchant has no owner',
      );
    }
    if (isUniqueViolation(error, 'users_email_idx')) throw emailTaken();
    throw error;
  }
}

/** Tries handles until one is free; each try runs in a savepoint so a collision costs nothing. */
async function insertUserWithFreeVpa(
  tx: Executor,
  values: Omit<NewUserRow, 'vpa'>,
): Promise<UserRow> {
  const base = baseHandle(values.name, values.email);
  for (let attempt = 0; attempt < maxVpaAttempts; attempt++) {
    const vpa = toVpa(handleCandidate(base, attempt));
    try {
      return await tx.transaction((savepoint) => insertUser(savepoint, { ...values, vpa }));
    } catch (error) {
      if (!isUniqueViolation(error, 'users_vpa_idx')) throw error;
    }
  }
  throw new Error(`no free VPA for handle ${base} after ${maxVpaAttempts} attempts`);
}

const emailTaken = () =>
  AppError.of('email_taken', 'An account with this email already exists', { param: 'email' });
