import { notFound, withTransaction, type Scope } from '@expe/server-kit';
import type { DeliveryRow } from '../db/delivery-repository.js';
import { findEventInScope, type EventRow } from '../db/event-repository.js';
import type { WebhooksContext } from './context.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';
import {
  assertEndpointEnabled,
  insertManualDelivery,
  scheduleAfterCommit,
} from './queue-manual-delivery.js';

/** Sends an event of the same project and mode to the endpoint again, as a new delivery. */
export async function redeliverEvent(
  ctx: WebhooksContext,
  scope: Scope,
  endpointId: string,
  eventId: string,
  traceparent: string | null,
): Promise<{ delivery: DeliveryRow; event: EventRow; afterCommit: () => Promise<void> }> {
  const result = await withTransaction(ctx.db, async (tx) => {
    const endpoint = await getWebhookEndpoint(tx, scope, endpointId);
    const event = await findEventInScope(tx, scope, eventId);
    if (!event) throw notFound('event', eventId, 'event');
    assertEndpointEnabled(endpoint);
    return { delivery: await insertManualDelivery(tx, endpoint, event, new Date()), event };
  });
  // The worker must find the delivery committed: queue it only once the caller's transaction
  // (which may be wider than this one) has committed.
  return { ...result, afterCommit: () => scheduleAfterCommit(ctx, result.delivery, traceparent) };
}
