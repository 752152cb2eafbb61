import {
  infrastructurePolicy,
  openJobQueues,
  type JobProducer,
  type QueueStats,
} from '@expe/server-kit';
import type { DeliveryJob, DeliveryScheduler } from './domain/context.js';

export {
  bullPrefix,
  createBullConnection,
  createEventQueue,
  eventsQueueName,
  type EventJobData,
  type EventQueue,
} from '@expe/server-kit';

/**
 * One job per (event, endpoint) delivery, with `jobId` = `${event.id}-${endpoint.id}`. (BullMQ 5
 * refuses `:` in custom job ids; object ids never contain `-`, so the pair stays unambiguous.)
 */
export const deliveriesQueueName = 'expe-deliveries';

export interface DeliveryJobData {
  delivery_id: string;
  traceparent?: string;
}

export interface DeliveryQueue extends DeliveryScheduler {
  readonly name: string;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

/** The producer side of `expe-deliveries`, used by the fan-out and by test / redeliver. */
export function createDeliveryQueue(redisUrl: string, keyPrefix: string): DeliveryQueue {
  const queue: JobProducer<DeliveryJobData> = openJobQueues(redisUrl, keyPrefix).producer(
    deliveriesQueueName,
    infrastructurePolicy,
  );
  const toJob = (job: DeliveryJob) => ({
    id: job.jobId,
    name: 'deliver',
    data: {
      delivery_id: job.deliveryId,
      ...(job.traceparent ? { traceparent: job.traceparent } : {}),
    },
    delayMs: job.dueAt ? Math.max(0, job.dueAt.getTime() - Date.now()) : 0,
  });
  return {
    name: queue.name,
    schedule: (jobs) => queue.add(jobs.map(toJob)),
    async reschedule(jobs) {
      for (const job of jobs) await queue.replace(toJob(job));
    },
    stats: () => queue.stats(),
    close: () => queue.close(),
  };
}
