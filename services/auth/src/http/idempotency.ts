import type { Response } from 'express';
import { idempotencyScope, type Database, type SendIdempotentOptions } from '@expe/server-kit';
import type { AuthConfig } from '../config.js';

/** Signed-in POSTs run under the caller's Idempotency-Key, answers in auth.idempotency_keys. */
export function idempotencyOf(
  ctx: { db: Database; config: AuthConfig },
  res: Response,
): SendIdempotentOptions {
  return {
    db: ctx.db,
    store: { schema: 'auth' },
    scope: idempotencyScope(res.locals.principal),
    ttlSeconds: ctx.config.IDEMPOTENCY_TTL_SECONDS,
  };
}
