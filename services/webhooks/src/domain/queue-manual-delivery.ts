import { AppError, newId, type Executor } from '@expe/server-kit';
import { insertDelivery, type DeliveryRow } from '../db/delivery-repository.js';
import type { EndpointRow } from '../db/endpoint-repository.js';
import type { EventRow } from '../db/event-repository.js';
import type { WebhooksContext } from './context.js';

/** Test sends and redeliveries go only to endpoints that accept deliveries. */
export function assertEndpointEnabled(endpoint: EndpointRow): void {
  if (endpoint.status !== 'enabled') {
    throw AppError.of(
      'resource_conflict',
      'This webhook endpoint is disabled; enable it (disabled: false) before sending to it',
      { param: 'id' },
    );
  }
}

/** A delivery outside the fan-out (test or redeliver): its own job id, so it always runs. */
export async function insertManualDelivery(
  tx: Executor,
  endpoint: EndpointRow,
  event: Pick<EventRow, 'id'>,
  now: Date,
): Promise<DeliveryRow> {
  const id = newId('whd');
  return insertDelivery(tx, {
    id,
    endpointId: endpoint.id,
    eventId: event.id,
    jobId: `${event.id}-${endpoint.id}-${id}`,
    manual: true,
    nextAttemptAt: now,
    createdAt: now,
  });
}

/**
 * Hands a committed delivery to the queue. When Redis is down the delivery stays pending in
 * PostgreSQL and the worker's sweep queues it later, so the request still succeeds.
 */
export async function scheduleAfterCommit(
  ctx: Pick<WebhooksContext, 'scheduler' | 'logger'>,
  delivery: DeliveryRow,
  traceparent: string | null,
): Promise<void> {
  try {
    await ctx.scheduler.schedule([
      { deliveryId: delivery.id, jobId: delivery.jobId, traceparent: traceparent ?? undefined },
    ]);
  } catch (error) {
    ctx.logger.warn(
      { err: error, deliveryId: delivery.id },
      'could not queue a delivery; the sweep will queue it',
    );
  }
}
