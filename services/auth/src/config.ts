import {
  baseConfigShape,
  boolVar,
  identityPrivateKeyShape,
  idempotencyConfigShape,
  intVar,
  loadConfig,
  portVar,
  secretVar,
  trustedIssuerVar,
} from '@expe/server-kit';
import { z } from 'zod';

const day = 24 * 3600;

export const authConfigSchema = z.object({
  ...baseConfigShape,
  ...idempotencyConfigShape,
  ...identityPrivateKeyShape,
  IDENTITY_PUBLIC_KEY_GATEWAY: trustedIssuerVar('gateway'),
  IDENTITY_PUBLIC_KEY_PAYMENTS: trustedIssuerVar('payments'),
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
    'failed logins of one account before it must wait between attempts (exponential backoff)',
    1,
  ),
  LOGIN_BACKOFF_BASE_MS: intVar(
    1_000,
    "an account's first wait after LOGIN_MAX_FAILURES failures; doubles with each further failure",
    1,
  ),
  LOGIN_BACKOFF_MAX_SECONDS: intVar(300, "the longest wait an account's failures can cause", 1),
  LOGIN_MAX_FAILURES_PER_IP: intVar(
    50,
    'failed logins from one client IP (on any accounts) within the window before that IP alone gets 429',
    1,
  ),
  LOGIN_FAILURE_WINDOW_SECONDS: intVar(900, 'how long failed logins are remembered', 1),
  EMAIL_VERIFICATION_TTL_SECONDS: intVar(
    2 * day,
    'how long an email-verification token stays valid',
    60,
  ),
  PASSWORD_RESET_TTL_SECONDS: intVar(3600, 'how long a password-reset token stays valid', 60),
  DEV_MAILBOX: boolVar(
    false,
    'keep outgoing mails in the dev mailbox (GET /v1/dev/mailbox, unauthenticated: anyone who reaches it reads every reset token); npm start turns it on when it listens on loopback; always off when NODE_ENV=production; never set it in a chart',
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

/**
 * The mailbox holds raw tokens and answers anyone (issue 11, finding 9): it exists only when
 * asked for (DEV_MAILBOX=true, which `npm start` sets on loopback), and production never keeps
 * it, whatever DEV_MAILBOX says.
 */
export function isDevMailboxEnabled(config: AuthConfig): boolean {
  return config.DEV_MAILBOX && config.NODE_ENV !== 'production';
}

export function isCookieSecure(config: AuthConfig): boolean {
  return config.COOKIE_SECURE ?? config.NODE_ENV === 'production';
}
