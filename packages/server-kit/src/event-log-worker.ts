import { eventLogQueueName, type EventJobData } from './event-queue.js';
import { openJobQueues, UnrecoverableError } from './job-queue.js';
import type { Logger } from './logger.js';

export interface EventLogWorker {
  /** Stops taking jobs and waits for the ones in progress. */
  close(): Promise<void>;
}

/**
 * The consumer side of `expe-event-log` (ADR 0009), for the owner of the merchant's event log:
 * runs `record` once per job. While the consumer is down the jobs wait in the queue; when
 * `record` throws (the database is down) the job is retried with the queue's infrastructure
 * retry, unless `isInvalid(error)` says retrying cannot help (the job is not an event it
 * accepts): then it is failed at once and logged.
 */
export function startEventLogWorker(options: {
  redisUrl: string;
  keyPrefix: string;
  logger: Logger;
  record(data: EventJobData): Promise<void>;
  isInvalid?(error: unknown): boolean;
  concurrency?: number;
}): EventLogWorker {
  const { logger } = options;
  const worker = openJobQueues(options.redisUrl, options.keyPrefix).worker<EventJobData>(
    eventLogQueueName,
    {
      async handle(job) {
        try {
          await options.record(job.data);
        } catch (error) {
          if (options.isInvalid?.(error)) {
            throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
          }
          throw error;
        }
      },
      concurrency: options.concurrency ?? 5,
      logger,
      onFailed: (job, error) =>
        logger.error(
          { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade },
          'event log job failed',
        ),
    },
  );
  return { close: () => worker.close() };
}
