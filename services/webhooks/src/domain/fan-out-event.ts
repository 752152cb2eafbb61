import { type Database, newId, withTransaction, type Scope } from '@expe/server-kit';
import { subscriptionNamesOf } from '@expe/stripe-compat';
import {
  insertDeliveriesIfAbsent,
  listPendingDeliveriesOfEvent,
} from '../db/delivery-repository.js';
import { listSubscribedEndpoints } from '../db/endpoint-repository.js';
import { insertEventIfAbsent } from '../db/event-repository.js';
import type { EventJobData } from '../queue.js';
import type { DeliveryJob } from './context.js';
import { reorderOffsetMs } from './webhook-chaos.js';

/**
 * Stores the event and creates one delivery per enabled endpoint of the event's project and mode
 * that subscribes to its type, by its Expe or its Stripe name (never another project's, even of
 * the same merchant), and that existed when the event was created. Running it
 * twice for one event (a relay retry, a crashed worker) creates nothing new: the job id
 * `${event}-${endpoint}` is unique. It answers every delivery of the event that is still
 * pending, so a run that crashed before queueing them is repaired.
 */
export async function fanOutEvent(
  db: Database,
  job: EventJobData,
  chaosSeed = 'expe',
): Promise<DeliveryJob[]> {
  const { event, merchant_id: merchantId, project_id: projectId, mode, traceparent } = job;
  // Wallet-only events belong to no project and so to no endpoint.
  if (merchantId === null || projectId == null) return [];
  const scope: Scope = { merchantId, projectId, mode };
  const now = new Date();
  const pending = await withTransaction(db, async (tx) => {
    await insertEventIfAbsent(tx, scope, {
      id: event.id,
      type: event.type,
      payload: JSON.stringify(event),
      traceparent: traceparent ?? null,
      createdAt: now,
    });
    // As in Stripe, an endpoint receives the events that happen once it exists: an event created
    // before the endpoint (fanned out late: a slow relay, a queue backlog) is not its event.
    // Seconds, the precision of `created`: an endpoint of the event's own second gets it.
    const endpoints = (
      await listSubscribedEndpoints(tx, scope, subscriptionNamesOf(event.type))
    ).filter((endpoint) => Math.floor(endpoint.createdAt.getTime() / 1000) <= event.created);
    await insertDeliveriesIfAbsent(
      tx,
      endpoints.map((endpoint) => ({
        id: newId('whd'),
        endpointId: endpoint.id,
        eventId: event.id,
        jobId: `${event.id}-${endpoint.id}`,
        // Webhook chaos `reorder` defers the first attempt, so events overtake each other.
        nextAttemptAt: new Date(
          now.getTime() + reorderOffsetMs(endpoint.simulate, chaosSeed, event.id),
        ),
        createdAt: now,
      })),
    );
    return listPendingDeliveriesOfEvent(tx, event.id);
  });
  return pending.map((delivery) => ({
    deliveryId: delivery.id,
    jobId: delivery.jobId,
    traceparent,
    dueAt: delivery.nextAttemptAt ?? now,
  }));
}
