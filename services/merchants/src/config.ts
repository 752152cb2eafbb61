import { z } from 'zod';
import {
  baseConfigShape,
  idempotencyConfigShape,
  intVar,
  loadConfig,
  portVar,
} from '@expe/server-kit';

export const merchantsConfigSchema = z.object({
  ...baseConfigShape,
  ...idempotencyConfigShape,
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
