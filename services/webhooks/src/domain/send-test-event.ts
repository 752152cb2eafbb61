import { newId, unixSeconds, withTransaction, type Scope } from '@expe/server-kit';
import { webhookTestEventType, type EventResource } from '@expe/contracts';
import type { DeliveryRow } from '../db/delivery-repository.js';
import { insertEventIfAbsent, type EventRow } from '../db/event-repository.js';
import type { WebhooksContext } from './context.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';
import {
  assertEndpointEnabled,
  insertManualDelivery,
  scheduleAfterCommit,
} from './queue-manual-delivery.js';
import { toWebhookEndpointResource } from './resources.js';

/**
 * Sends a synthetic `webhook_endpoint.test` event to one endpoint through the same path real
 * events take (queue, signing, retries, attempt log), whatever events it subscribes to.
 */
export async function sendTestEvent(
  ctx: WebhooksContext,
  scope: Scope,
  endpointId: string,
  traceparent: string | null,
): Promise<{ delivery: DeliveryRow; event: EventRow; afterCommit: () => Promise<void> }> {
  const result = await withTransaction(ctx.db, async (tx) => {
    const endpoint = await getWebhookEndpoint(tx, scope, endpointId);
    assertEndpointEnabled(endpoint);
    const now = new Date();
    const eventId = newId('evt');
    const payload: EventResource = {
      id: eventId,
      object: 'event',
      type: webhookTestEventType,
      created: unixSeconds(now),
      livemode: scope.mode === 'live',
      data: { object: toWebhookEndpointResource(endpoint) },
    };
    const event: EventRow = {
      id: eventId,
      merchantId: scope.merchantId,
      projectId: scope.projectId,
      mode: scope.mode,
      type: webhookTestEventType,
      payload: JSON.stringify(payload),
      traceparent,
      createdAt: now,
    };
    await insertEventIfAbsent(tx, scope, event);
    return { delivery: await insertManualDelivery(tx, endpoint, event, now), event };
  });
  // The worker must find the delivery committed: queue it only once the caller's transaction
  // (which may be wider than this one) has committed.
  return { ...result, afterCommit: () => scheduleAfterCommit(ctx, result.delivery, traceparent) };
}
