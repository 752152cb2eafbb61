import type { Response } from 'express';
import {
  idempotencyScope,
  type Database,
  type IdempotencyStore,
  type SendIdempotentOptions,
} from '@expe/server-kit';
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

/**
 * merchants.idempotency_keys. Answers are stored sealed: an API key's secret is in the answer
 * that creates or rolls it, and a replay must show it again without the table holding it.
 */
function idempotencyStore(config: MerchantsConfig): IdempotencyStore {
  return { schema: 'merchants', sealWith: config.INTERNAL_AUTH_SECRET };
}

/** How the console's POSTs run under their Idempotency-Key (the caller's own keys). */
export function idempotencyOf({ db, config }: RouteDeps, res: Response): SendIdempotentOptions {
  return {
    db,
    store: idempotencyStore(config),
    scope: idempotencyScope(res.locals.principal),
    ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  };
}
