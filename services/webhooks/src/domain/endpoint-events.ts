import { context, propagation } from '@opentelemetry/api';
import { newId, type Executor } from '@expe/server-kit';
import { scopeOfEndpoint, type EndpointRow } from '../db/endpoint-repository.js';
import { insertOutboxEvent, type OutboxRow } from '../db/outbox-repository.js';
import { toWebhookEndpointResource } from './resources.js';

export const disabledEventType = 'webhook_endpoint.disabled';
export type WebhookEndpointEventType = typeof disabledEventType;

/**
 * Writes an event about an endpoint into this service's outbox, in the endpoint's project and
 * mode. Always
 * called inside the transaction of the change it describes, so the event exists exactly when
 * the change was committed; the relay takes it from there (ADR 0009).
 */
export function recordEndpointEvent(
  tx: Executor,
  type: WebhookEndpointEventType,
  endpoint: EndpointRow,
  now: Date,
): Promise<OutboxRow> {
  return insertOutboxEvent(tx, scopeOfEndpoint(endpoint), {
    id: newId('evt'),
    type,
    data: toWebhookEndpointResource(endpoint),
    traceparent: currentTraceparent(),
    createdAt: now,
  });
}

function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}
