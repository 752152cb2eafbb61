import { Queue, type JobsOptions, type QueueBase } from 'bullmq';
import { Redis } from 'ioredis';
import type { EventResource } from '@expe/contracts';

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

/**
 * BullMQ keys live under the service's Redis prefix, so two deployments (or two test files)
 * sharing one Redis never see each other's jobs. BullMQ forbids ioredis' own `keyPrefix`.
 */
export function bullPrefix(keyPrefix: string): string {
  return `${keyPrefix}bull`;
}

/**
 * A Redis connection for BullMQ. Workers block on Redis, so commands must wait through an
 * outage instead of failing (`maxRetriesPerRequest: null`) and the client reconnects forever.
 * Producers fail fast instead, so the caller (the outbox relay) can retry from its own storage.
 */
export function createBullConnection(
  redisUrl: string,
  role: 'worker' | 'producer',
  name = 'expe',
): Redis {
  return new Redis(redisUrl, {
    connectionName: `${name}-${role}`,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    // A producer's ready check can outlive a fast close and reject unhandled inside ioredis.
    enableReadyCheck: role === 'worker',
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}

/** How long a close waits for a queue or worker that is still starting to finish starting. */
const startingGraceMs = 2_000;

/**
 * Closes BullMQ queues and workers, then their connections. One that is still starting (its
 * connection's ready check and Redis version query in flight) is first let finish starting, for
 * at most a couple of seconds: disconnecting under it leaves BullMQ's own initialization to
 * reject where nobody listens ("Connection is closed", "Stream isn't writeable"), an unhandled
 * rejection that fails a test run and would crash a process that treats those as fatal.
 */
export async function closeBull<Part extends Pick<QueueBase, 'waitUntilReady' | 'close'>>(
  parts: readonly Part[],
  connections: readonly Redis[],
  close: (part: Part) => Promise<void> = (part) => part.close(),
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, startingGraceMs);
  });
  const started = parts.map((part) =>
    part.waitUntilReady().then(
      () => undefined,
      () => undefined,
    ),
  );
  await Promise.race([Promise.all(started), grace]);
  clearTimeout(timer);
  await Promise.all(parts.map(close));
  for (const connection of connections) connection.disconnect();
}

/**
 * Retries for infrastructure failures only (the database did not answer): the delivery
 * schedule itself is kept in PostgreSQL, not in BullMQ's attempt counter.
 */
export const infrastructureRetry: JobsOptions = {
  attempts: 20,
  backoff: { type: 'exponential', delay: 1_000 },
};

export const eventJobOptions: JobsOptions = {
  ...infrastructureRetry,
  // Completed jobs are kept for a day so that a relay re-sending the same event id within
  // that window is ignored by BullMQ; the fan-out is idempotent beyond that.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

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
  const connection = createBullConnection(redisUrl, 'producer', `${queueName}-producer`);
  // An unhandled 'error' event would crash the process; the failing add reports it instead.
  connection.on('error', () => {});
  const queue = new Queue<EventJobData>(queueName, {
    connection,
    prefix: bullPrefix(keyPrefix),
    defaultJobOptions: eventJobOptions,
  });
  queue.on('error', () => {});
  const toJob = (data: EventJobData) => ({
    name: data.event.type,
    data,
    opts: { jobId: data.event.id },
  });
  return {
    async enqueue(data) {
      const job = toJob(data);
      await queue.add(job.name, job.data, job.opts);
    },
    async enqueueMany(data) {
      if (data.length > 0) await queue.addBulk(data.map(toJob));
    },
    close: () => closeBull([queue], [connection]),
  };
}
