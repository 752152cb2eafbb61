import { propagation, context } from '@opentelemetry/api';
import type { Response } from 'express';
import {
  idempotencyScope,
  type Database,
  type Scope,
  type SendIdempotentOptions,
} from '@expe/server-kit';
import type { WebhooksConfig } from '../config.js';

/** The current trace, to continue it in the worker that delivers what this request queued. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * How the endpoint POSTs run under their Idempotency-Key: the kit's scope of the caller (a key's
 * Idempotency-Keys are its project's and mode's), answers stored in webhooks.idempotency_keys sealed (create and rotate_secret answers
 * carry a signing secret; a replay shows it again).
 */
export function idempotencyOf(
  ctx: { db: Database; config: WebhooksConfig },
  res: Response,
  scope: Scope,
): SendIdempotentOptions {
  return {
    db: ctx.db,
    store: { schema: 'webhooks', sealWith: ctx.config.WEBHOOK_SECRET_ENCRYPTION_KEY },
    scope: idempotencyScope(res.locals.principal, { mode: scope.mode }),
    ttlSeconds: ctx.config.IDEMPOTENCY_TTL_SECONDS,
  };
}
