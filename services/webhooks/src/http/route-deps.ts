import { propagation, context } from '@opentelemetry/api';
import type { Response } from 'express';
import {
  idempotencyScope,
  requireSecretKey,
  type Database,
  type SendIdempotentOptions,
} from '@expe/server-kit';
import type { WebhooksConfig } from '../config.js';
import type { EndpointScope } from '../db/endpoint-repository.js';

/** A merchant's secret key sees the endpoints of its own merchant and mode only. */
export function scopeOf(res: Response): EndpointScope {
  const key = requireSecretKey(res);
  return { merchantId: key.merchantId, mode: key.mode };
}

/** The current trace, to continue it in the worker that delivers what this request queued. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/**
 * How the endpoint POSTs run under their Idempotency-Key: the caller's keys for its merchant and
 * mode, answers stored in webhooks.idempotency_keys sealed (create and rotate_secret answers
 * carry a signing secret; a replay shows it again).
 */
export function idempotencyOf(
  ctx: { db: Database; config: WebhooksConfig },
  res: Response,
  scope: EndpointScope,
): SendIdempotentOptions {
  return {
    db: ctx.db,
    store: { schema: 'webhooks', sealWith: ctx.config.WEBHOOK_SECRET_ENCRYPTION_KEY },
    scope: idempotencyScope(res.locals.principal, { mode: scope.mode }),
    ttlSeconds: ctx.config.IDEMPOTENCY_TTL_SECONDS,
  };
}
