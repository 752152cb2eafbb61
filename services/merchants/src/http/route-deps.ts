import type { Database } from '@expe/server-kit';
import type { MerchantsConfig } from '../config.js';
import type { AnnounceRevocation } from '../domain/announce-revocation.js';

export interface RouteDeps {
  db: Database;
  config: MerchantsConfig;
  /** Tells the gateways that keys ended, so WebSockets subscribed with them close. */
  announce: AnnounceRevocation;
}

/** Only people with the merchant role use the console routes. */
export const merchantRole = ['merchant'] as const;
