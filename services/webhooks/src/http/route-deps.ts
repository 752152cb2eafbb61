import { propagation, context } from '@opentelemetry/api';
import type { Response } from 'express';
import { requireSecretKey } from '@expe/server-kit';
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
