import type { Database } from '@expe/server-kit';
import type { MerchantsConfig } from '../config.js';

export interface RouteDeps {
  db: Database;
  config: MerchantsConfig;
}

/** Only people with the merchant role use the console routes. */
export const merchantRole = ['merchant'] as const;
