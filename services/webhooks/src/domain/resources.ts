import { unixSeconds } from '@expe/server-kit';
import type {
  WebhookDeliveryAttemptResource,
  WebhookDeliveryResource,
  WebhookEndpointResource,
} from '@expe/contracts';
import type { DeliveryAttemptRow, DeliveryRow } from '../db/delivery-repository.js';
import type { EndpointRow } from '../db/endpoint-repository.js';

// Resource mappers live in the domain because the worker needs them too: the
// webhook_endpoint.disabled event carries the endpoint resource.

export function toWebhookEndpointResource(
  row: EndpointRow,
  secret?: string,
): WebhookEndpointResource {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    enabled_events: row.enabledEvents,
    description: row.description,
    status: row.status,
    livemode: row.mode === 'live',
    format: row.format,
    ...(row.simulate ? { simulate: row.simulate } : {}),
    ...(secret === undefined ? {} : { secret }),
    created: unixSeconds(row.createdAt),
  };
}

export function toWebhookDeliveryResource(
  row: DeliveryRow,
  event: { id: string; type: string; mode: 'test' | 'live' },
): WebhookDeliveryResource {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint: row.endpointId,
    event: { id: event.id, type: event.type },
    status: row.status,
    attempts: row.attempts,
    next_attempt: row.nextAttemptAt ? unixSeconds(row.nextAttemptAt) : null,
    manual: row.manual,
    livemode: event.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}

export function toWebhookDeliveryAttemptResource(
  row: DeliveryAttemptRow,
): WebhookDeliveryAttemptResource {
  return {
    id: row.id,
    object: 'webhook_delivery_attempt',
    delivery: row.deliveryId,
    endpoint: row.endpointId,
    event: { id: row.eventId, type: row.eventType },
    attempt: row.attempt,
    url: row.url,
    outcome: row.outcome,
    status_code: row.statusCode,
    latency_ms: row.latencyMs,
    response_excerpt: row.responseExcerpt,
    error: row.error,
    next_retry: row.nextRetryAt ? unixSeconds(row.nextRetryAt) : null,
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}
