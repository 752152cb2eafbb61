import { Queue, type JobsOptions } from 'bullmq';
import { bullPrefix, closeBull, createBullConnection, infrastructureRetry } from '@expe/server-kit';
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

const deliveryJobOptions: JobsOptions = {
  ...infrastructureRetry,
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const liveStates = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export interface DeliveryQueue extends DeliveryScheduler {
  readonly queue: Queue<DeliveryJobData>;
  close(): Promise<void>;
}

/** The producer side of `expe-deliveries`, used by the fan-out and by test / redeliver. */
export function createDeliveryQueue(redisUrl: string, keyPrefix: string): DeliveryQueue {
  const connection = createBullConnection(redisUrl, 'producer', 'expe-deliveries-producer');
  connection.on('error', () => {});
  const queue = new Queue<DeliveryJobData>(deliveriesQueueName, {
    connection,
    prefix: bullPrefix(keyPrefix),
    defaultJobOptions: deliveryJobOptions,
  });
  queue.on('error', () => {});
  const toJob = (job: DeliveryJob) => ({
    name: 'deliver',
    data: {
      delivery_id: job.deliveryId,
      ...(job.traceparent ? { traceparent: job.traceparent } : {}),
    },
    opts: {
      jobId: job.jobId,
      delay: job.dueAt ? Math.max(0, job.dueAt.getTime() - Date.now()) : 0,
    },
  });
  return {
    queue,
    async schedule(jobs) {
      if (jobs.length > 0) await queue.addBulk(jobs.map(toJob));
    },
    async reschedule(jobs) {
      for (const job of jobs) {
        const existing = await queue.getJob(job.jobId);
        if (existing) {
          if (liveStates.has(await existing.getState())) continue;
          await existing.remove();
        }
        const { name, data, opts } = toJob(job);
        await queue.add(name, data, opts);
      }
    },
    close: () => closeBull([queue], [connection]),
  };
}
