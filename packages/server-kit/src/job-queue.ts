import { UnrecoverableError } from 'bullmq';
import { bullmqJobQueues } from './bullmq-queues.js';
import { inProcessJobQueues } from './in-process-queues.js';
import type { Logger } from './logger.js';
import { isEmbeddedRedisUrl } from './redis.js';

/**
 * The job queues the services share (ADR 0003, ADR 0009): one interface, two implementations,
 * picked by REDIS_URL — BullMQ on Redis, or, with an embedded `memory:` URL (a platform run in
 * one process without a Redis server), queues held in this process. Producers and consumers
 * see the same behaviour either way: a job id is added once while it is remembered, a delay
 * is honoured, a job that throws is retried with exponential backoff up to its policy's
 * attempts, {@link UnrecoverableError} fails it at once, and a handler that answers
 * `{ retryAt }` has the same job run again then.
 */
export { UnrecoverableError };

export interface QueueJob<Data> {
  id: string;
  name: string;
  data: Data;
  /** Runs of this job that ended in an error so far (0 on the first run). */
  attemptsMade: number;
}

export interface NewJob<Data> {
  /** The job's identity: adding an id the queue still remembers is a no-op. */
  id: string;
  name: string;
  data: Data;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

/** How a queue retries and how long it remembers finished jobs (their ids). */
export interface QueuePolicy {
  /** Runs of a job that keeps throwing, in all. */
  attempts: number;
  /** The first retry waits this long, each next one twice as long. */
  backoffMs: number;
  /** Adding a completed job's id again within this window is a no-op. */
  keepCompletedMs: number;
  /** Failed jobs are kept (for inspection, and their ids remembered) this long. */
  keepFailedMs: number;
}

/**
 * Retries for infrastructure failures only (the database did not answer): a webhook's
 * delivery schedule itself is kept in PostgreSQL, not in the queue's attempt counter.
 */
export const infrastructurePolicy: QueuePolicy = {
  attempts: 20,
  backoffMs: 1_000,
  // Completed jobs are kept for a day so that a relay re-sending the same event id within
  // that window is ignored; the consumers are idempotent beyond that.
  keepCompletedMs: 24 * 3600_000,
  keepFailedMs: 7 * 24 * 3600_000,
};

export interface QueueStats {
  /** Jobs ready to run now. */
  waiting: number;
  /** Jobs waiting for their delay or retry time. */
  delayed: number;
  /** When the oldest job ready to run became ready (epoch ms); undefined with none waiting. */
  oldestReadyAt: number | undefined;
}

export interface JobProducer<Data> {
  readonly name: string;
  /** Adds jobs; one whose id the queue still remembers (waiting, running or kept) is skipped. */
  add(jobs: readonly NewJob<Data>[]): Promise<void>;
  /**
   * Adds the job unless one with its id is waiting, delayed or running; a finished one (kept
   * completed or failed) is replaced. For putting back a job that was lost or ended early.
   */
  replace(job: NewJob<Data>): Promise<void>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

/** What a handler answers: nothing (done), or when to run the same job again. */
export type JobOutcome = void | { retryAt: Date };

export interface JobWorkerOptions<Data> {
  handle(job: QueueJob<Data>): Promise<JobOutcome>;
  concurrency: number;
  logger: Logger;
  /** Called for every run that throws (a retry may follow), with the runs made so far. */
  onFailed?(job: QueueJob<Data> | undefined, error: Error): void;
  /**
   * Redis only: a worker that dies mid-job stops renewing its lock; after `lockDurationMs`
   * another worker's stalled check (every `stalledIntervalMs`) runs the job again, up to
   * `maxStalledCount` times. In one process a dying worker takes its jobs with it.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

export interface JobWorker {
  readonly name: string;
  /** Stops taking jobs and waits for those running, or with `force` does not wait. */
  close(options?: { force?: boolean }): Promise<void>;
}

export interface JobQueues {
  /** `redis` (BullMQ) or `in-process` (held in this process's memory). */
  readonly kind: 'redis' | 'in-process';
  producer<Data>(name: string, policy: QueuePolicy): JobProducer<Data>;
  worker<Data>(name: string, options: JobWorkerOptions<Data>): JobWorker;
}

/** The queues of a deployment: REDIS_URL and REDIS_KEY_PREFIX choose them, once. */
export function openJobQueues(redisUrl: string, keyPrefix: string): JobQueues {
  return isEmbeddedRedisUrl(redisUrl)
    ? inProcessJobQueues(redisUrl, keyPrefix)
    : bullmqJobQueues(redisUrl, keyPrefix);
}
