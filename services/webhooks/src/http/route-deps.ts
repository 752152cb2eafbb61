import { propagation, context } from '@opentelemetry/api';

/** The current trace, to continue it in the worker that delivers what this request queued. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}
