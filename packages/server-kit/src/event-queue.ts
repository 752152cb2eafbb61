import type { JobsOptions } from 'bullmq';
import type { EventResource } from '@expe/contracts';
import { bullJobOptions } from './bullmq-queues.js';
import { infrastructurePolicy, openJobQueues } from './job-queue.js';
import { sendWithProducerSpans } from './queue-tracing.js';

/**
 * The contract between the outbox relays (producers) and their consumers: queue names, job
 * data and connection rules (ADR 0003, ADR 0009). Both sides import it from here, so they
 * cannot drift apart.
 */
/**
 * Every outbox relay puts every merchant event here, with `jobId` = the event id; the webhooks
 * worker fans each out to the endpoints of the event's project and mode.
 */
export const eventsQueueName = 'expe-events';
/**
 * Events recorded by a service other than payments (webhooks' `webhook_endpoint.*`), on their
 * way into the project's event log that payments serves (`GET /v1/events`). Same job data,
 * `jobId` = the event id; payments inserts each once by its id.
 */
export const eventLogQueueName = 'expe-event-log';
export interface EventJobData {
  event: EventResource;
  /** `null` for wallet-only events, which concern no webhook endpoint. */
  merchant_id: string | null;
  /**
   * The project the event belongs to (the scope of endpoints and of the event log); `null` with
   * `merchant_id` for wallet-only events.
   */
  project_id: string | null;
  mode: 'test' | 'live';
  /** W3C trace context of the transaction that wrote the event, so its trace continues here. */
  traceparent?: string;
}

export { bullPrefix, closeBull, createBullConnection } from './bullmq-queues.js';

/** BullMQ's default job options for {@link infrastructurePolicy} (tests that add jobs by hand). */
export const infrastructureRetry: JobsOptions = {
  attempts: infrastructurePolicy.attempts,
  backoff: { type: 'exponential', delay: infrastructurePolicy.backoffMs },
};

export const eventJobOptions: JobsOptions = bullJobOptions(infrastructurePolicy);

export interface EventQueue {
  /** Adds one event; a second add of the same event id is a no-op while the job is kept. */
  enqueue(data: EventJobData): Promise<void>;
  enqueueMany(data: readonly EventJobData[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The producer side of `expe-events` (or of `expe-event-log`), for the outbox relays and for
 * tests: exactly how production enqueues. Adds fail fast while Redis is down; the relay keeps
 * the row and retries.
 */
export function createEventQueue(
  redisUrl: string,
  keyPrefix: string,
  queueName: typeof eventsQueueName | typeof eventLogQueueName = eventsQueueName,
): EventQueue {
  const queue = openJobQueues(redisUrl, keyPrefix).producer<EventJobData>(
    queueName,
    infrastructurePolicy,
  );
  const toJob = (data: EventJobData) => ({ id: data.event.id, name: data.event.type, data });
  // Each job's trace goes on through a send span of its own (queue-tracing.ts).
  const add = (data: readonly EventJobData[]) =>
    sendWithProducerSpans(queueName, data, (jobs) => queue.add(jobs.map(toJob)));
  return {
    enqueue: (data) => add([data]),
    enqueueMany: add,
    close: () => queue.close(),
  };
}
