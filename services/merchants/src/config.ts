import { z } from 'zod';
import {
  baseConfigShape,
  idempotencyConfigShape,
  intVar,
  loadConfig,
  optionalTrustedIssuerVar,
  portVar,
  secretVar,
  trustedIssuerVar,
} from '@expe/server-kit';

export const merchantsConfigSchema = z.object({
  ...baseConfigShape,
  ...idempotencyConfigShape,
  INTERNAL_AUTH_SECRET: secretVar(
    'key (32+ characters) that seals stored idempotent answers carrying an API key secret (AES-256-GCM); no longer signs identities',
  ),
  IDENTITY_PUBLIC_KEY_GATEWAY: trustedIssuerVar('gateway'),
  IDENTITY_PUBLIC_KEY_AUTH: trustedIssuerVar('auth'),
  IDENTITY_PUBLIC_KEY_PAYMENTS: trustedIssuerVar('payments'),
  IDENTITY_PUBLIC_KEY_OPERATOR: optionalTrustedIssuerVar('the operator'),
  PORT: portVar(4002),
  API_KEY_LAST_USED_RESOLUTION_SECONDS: intVar(
    60,
    "an API key's last_used_at is written at most once per this many seconds, so resolving keys stays cheap",
  ),
  MAX_PROJECTS_PER_MERCHANT: intVar(100, 'live (not deleted) projects one merchant may have', 1),
  MAX_KEYS_PER_PROJECT: intVar(50, 'active (not revoked) API keys one project may have', 1),
});
export type MerchantsConfig = z.infer<typeof merchantsConfigSchema>;

export function loadMerchantsConfig(
  env: Record<string, string | undefined> = process.env,
): MerchantsConfig {
  return loadConfig(merchantsConfigSchema, env);
}
