import { eventSchema, idSchema, modeSchema, z } from '@expe/contracts';
import type { EventJobData, Executor } from '@expe/server-kit';
import { insertEventIfAbsent } from '../db/event-repository.js';

/**
 * A job of `expe-event-log`: an event the webhooks service recorded in its own outbox about one
 * of a project's webhook endpoints (`webhook_endpoint.disabled`), to list in that project's
 * event log. Payments accepts those types only: it owns every other event itself.
 */
export const webhookEndpointEventJobSchema = z
  .object({
    event: eventSchema.extend({
      type: z
        .string()
        .max(100)
        .regex(/^webhook_endpoint\.[a-z_]+$/, 'must be a webhook_endpoint.* event type'),
      data: z.object({ object: z.looseObject({ id: idSchema('we') }) }),
    }),
    merchant_id: idSchema('mer'),
    /** The project of the endpoint: the event is listed in that project's log only. */
    project_id: idSchema('prj'),
    mode: modeSchema,
    traceparent: z.string().max(200).optional(),
  })
  .refine((job) => job.event.livemode === (job.mode === 'live'), {
    message: 'event.livemode must match mode',
    path: ['event', 'livemode'],
  });

export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * Adds the event to the merchant's event log under the id its owner gave it, the id its
 * deliveries carry; a second copy (a relay that published again after a crash) is ignored.
 * It is stored as relayed: its owner already fanned it out and published it (ADR 0009), so
 * payments' own relay leaves it alone. Throws a ZodError on a job that is not such an event.
 */
export async function recordWebhookEndpointEvent(
  db: Executor,
  data: EventJobData,
  now = new Date(),
): Promise<RecordOutcome> {
  const job = webhookEndpointEventJobSchema.parse(data);
  const isNew = await insertEventIfAbsent(db, {
    id: job.event.id,
    type: job.event.type,
    mode: job.mode,
    merchantId: job.merchant_id,
    projectId: job.project_id,
    userIds: [],
    objectId: job.event.data.object.id,
    paymentId: null,
    data: job.event.data.object,
    traceparent: job.traceparent ?? null,
    createdAt: new Date(job.event.created * 1000),
    relayedAt: now,
  });
  return isNew ? 'recorded' : 'duplicate';
}
