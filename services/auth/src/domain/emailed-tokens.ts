import { newId, randomBase62, sha256Hex, type Executor } from '@expe/server-kit';
import { insertMail } from '../db/mail-repository.js';
import { insertOneTimeToken } from '../db/one-time-token-repository.js';
import type { OneTimeTokenPurpose, UserRow } from '../db/schema.js';
import type { AuthContext } from './context.js';

/**
 * Creates a single-use token for `purpose` and mails it. Only its hash is stored with the
 * token; the raw value exists in the mail alone, and mails are kept only in the dev mailbox
 * (Expe sends no real mail), so in production nothing holds it.
 */
export async function sendEmailedToken(
  ctx: AuthContext,
  db: Executor,
  user: UserRow,
  purpose: OneTimeTokenPurpose,
): Promise<void> {
  const token = randomBase62(40);
  const ttlSeconds =
    purpose === 'email_verification'
      ? ctx.config.EMAIL_VERIFICATION_TTL_SECONDS
      : ctx.config.PASSWORD_RESET_TTL_SECONDS;
  await insertOneTimeToken(db, {
    id: newId('ott'),
    userId: user.id,
    purpose,
    tokenHash: sha256Hex(token),
    expiresAt: new Date(Date.now() + ttlSeconds * 1000),
  });
  if (!ctx.isDevMailboxEnabled) {
    ctx.logger.info({ userId: user.id, kind: purpose }, 'mail not kept: the dev mailbox is off');
    return;
  }
  const mail = compose(purpose, user.name, token, ttlSeconds);
  await insertMail(db, { id: newId('mail'), toEmail: user.email, kind: purpose, token, ...mail });
}

function compose(purpose: OneTimeTokenPurpose, name: string, token: string, ttlSeconds: number) {
  const validity = describeDuration(ttlSeconds);
  if (purpose === 'email_verification') {
    return {
      subject: 'Confirm your email address for Expe',
      text: `Hi ${name},\n\nConfirm your email address with this token (valid for ${validity}):\n\n${token}\n\nPOST /v1/auth/verify-email {"token": "…"}\n`,
    };
  }
  return {
    subject: 'Reset your Expe password',
    text: `Hi ${name},\n\nSomeone asked to reset your Expe password. If it was you, use this token (valid for ${validity}, once):\n\n${token}\n\nPOST /v1/auth/password-reset/confirm {"token": "…", "password": "…"}\n\nIf it was not you, ignore this mail; your password stays as it is.\n`,
  };
}

function describeDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? '' : 's'}`;
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}
