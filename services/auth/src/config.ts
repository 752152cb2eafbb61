import { baseConfigShape, boolVar, intVar, loadConfig, portVar, secretVar } from '@expe/server-kit';
import { z } from 'zod';

const day = 24 * 3600;

export const authConfigSchema = z.object({
  ...baseConfigShape,
  PORT: portVar(4001),
  JWT_SECRET: secretVar(
    'HS256 key that signs access tokens; the gateway verifies them with the same value',
  ),
  ACCESS_TOKEN_TTL_SECONDS: intVar(900, 'lifetime of an access token in seconds', 60),
  REFRESH_TOKEN_TTL_SECONDS: intVar(
    30 * day,
    'lifetime of a refresh token in seconds; each refresh issues a new one',
    60,
  ),
  BCRYPT_COST: intVar(12, 'bcrypt cost factor for password hashes (at least 4)', 4),
  MERCHANTS_URL: z
    .string()
    .url()
    .default('http://127.0.0.1:4002')
    .describe('base URL of the merchants service (merchant registration creates the merchant)'),
  LOGIN_MAX_FAILURES: intVar(
    5,
    'failed logins allowed per email and per client IP within the window before 429',
    1,
  ),
  LOGIN_FAILURE_WINDOW_SECONDS: intVar(900, 'sliding window of the failed-login throttle', 1),
  EMAIL_VERIFICATION_TTL_SECONDS: intVar(
    2 * day,
    'how long an email-verification token stays valid',
    60,
  ),
  PASSWORD_RESET_TTL_SECONDS: intVar(3600, 'how long a password-reset token stays valid', 60),
  DEV_MAILBOX: boolVar(
    true,
    'keep outgoing mails in the dev mailbox (GET /v1/dev/mailbox); always off when NODE_ENV=production',
  ),
  ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((email) => email.trim().toLowerCase())
        .filter(Boolean),
    )
    .describe(
      'comma-separated emails that are given the admin role when they register (how the first admin is made)',
    ),
  COOKIE_SECURE: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional()
    .describe(
      'mark the refresh-token cookie Secure (HTTPS only); unset = true in production, false otherwise',
    ),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  return loadConfig(authConfigSchema, env);
}

/** The mailbox holds raw tokens, so production never keeps it, whatever DEV_MAILBOX says. */
export function isDevMailboxEnabled(config: AuthConfig): boolean {
  return config.DEV_MAILBOX && config.NODE_ENV !== 'production';
}

export function isCookieSecure(config: AuthConfig): boolean {
  return config.COOKIE_SECURE ?? config.NODE_ENV === 'production';
}
