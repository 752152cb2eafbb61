import type { RegisterInput } from '@expe/contracts';
import {
  AppError,
  type Executor,
  isUniqueViolation,
  newId,
  withTransaction,
} from '@expe/server-kit';
import { pinRegistration } from '../db/registration-repository.js';
import type { NewUserRow, UserRow } from '../db/schema.js';
import { findUserByEmail, insertUser } from '../db/user-repository.js';
import type { AuthContext } from './context.js';
import { sendEmailedToken } from './emailed-tokens.js';
import { issueSession, type IssuedSession } from './sessions.js';
import { baseHandle, handleCandidate, toVpa } from './vpa.js';

const maxVpaAttempts = 12;

/**
 * Creates the account, its VPA, a verification mail and a first session. A merchant also gets
 * its merchant record from the merchants service, before the user exists: a merchant user
 * without a merchant never exists, and when the merchants service is down or fails the
 * registration fails (503/502) with no user left behind; sending it again is how to retry.
 *
 * Each step survives the other side failing:
 * 1. The user id is pinned to the email in auth first (`auth.registrations`, committed), so
 *    every attempt to register the email uses the same id.
 * 2. The merchants service ensures the merchant keyed by that id (unique owner): the first call
 *    creates it, a repeat returns the same one. An answer lost after merchants wrote is repaired
 *    by the retry, which finds that merchant instead of making a second.
 * 3. The user is inserted under that id in auth's own transaction. The pin stays: concurrent
 *    attempts at one email, even one that reaches the pin after the winner committed, share the
 *    id and so the merchant; one user insert wins and the others are 409 `email_taken`.
 *
 * No transaction is open across the call: in a single-process run every service shares one
 * embedded database connection, and the merchants service could not write while one held it.
 */
export async function registerUser(ctx: AuthContext, input: RegisterInput): Promise<IssuedSession> {
  if (await findUserByEmail(ctx.db, input.email)) throw emailTaken();
  const passwordHash = await ctx.passwords.hash(input.password);
  // Operators name their admins in ADMIN_EMAILS; nobody can ask for the role through the API.
  const role = ctx.config.ADMIN_EMAILS.includes(input.email) ? 'admin' : input.role;
  const userId = role === 'merchant' ? await ensureMerchantOfSignUp(ctx, input) : newId('usr');
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
    // A concurrent attempt at the same merchant sign-up inserted the pinned id first.
    if (isUniqueViolation(error, 'users_email_idx') || isUniqueViolation(error, 'users_pkey')) {
      throw emailTaken();
    }
    throw error;
  }
}

/** Pins the sign-up's user id and has the merchants service ensure its merchant; the id. */
async function ensureMerchantOfSignUp(ctx: AuthContext, input: RegisterInput): Promise<string> {
  const userId = await pinRegistration(ctx.db, input.email, newId('usr'));
  await ctx.merchants.createMerchant({ ownerUserId: userId, name: input.name, email: input.email });
  return userId;
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
      return await withTransaction(tx, (savepoint) => insertUser(savepoint, { ...values, vpa }));
    } catch (error) {
      if (!isUniqueViolation(error, 'users_vpa_idx')) throw error;
    }
  }
  throw new Error(`no free VPA for handle ${base} after ${maxVpaAttempts} attempts`);
}

const emailTaken = () =>
  AppError.of('email_taken', 'An account with this email already exists', { param: 'email' });
