import { DelayedError, Queue, Worker, type Job, type JobsOptions, type QueueBase } from 'bullmq';
import { Redis } from 'ioredis';
import type {
  JobProducer,
  JobQueues,
  JobWorker,
  JobWorkerOptions,
  QueueJob,
  QueuePolicy,
} from './job-queue.js';

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

/** A {@link QueuePolicy} as BullMQ's default job options. */
export function bullJobOptions(policy: QueuePolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: { age: policy.keepCompletedMs / 1000, count: 100_000 },
    removeOnFail: { age: policy.keepFailedMs / 1000 },
  };
}

const liveStates = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

function queueJobOf<Data>(job: Job<Data>): QueueJob<Data> {
  return { id: job.id ?? '', name: job.name, data: job.data, attemptsMade: job.attemptsMade };
}

/** The queues on Redis, through BullMQ: what every deployment with a Redis server uses. */
export function bullmqJobQueues(redisUrl: string, keyPrefix: string): JobQueues {
  const prefix = bullPrefix(keyPrefix);
  return {
    kind: 'redis',
    producer<Data>(name: string, policy: QueuePolicy): JobProducer<Data> {
      // Adds fail fast while Redis is down; the caller keeps what it was adding and retries.
      const connection = createBullConnection(redisUrl, 'producer', `${name}-producer`);
      // An unhandled 'error' event would crash the process; the failing add reports it instead.
      connection.on('error', () => {});
      const queue = new Queue(name, {
        connection,
        prefix,
        defaultJobOptions: bullJobOptions(policy),
      });
      queue.on('error', () => {});
      const toJob = (job: { id: string; name: string; data: Data; delayMs?: number }) => ({
        name: job.name,
        data: job.data,
        opts: { jobId: job.id, ...(job.delayMs ? { delay: Math.max(0, job.delayMs) } : {}) },
      });
      return {
        name,
        async add(jobs) {
          if (jobs.length > 0) await queue.addBulk(jobs.map(toJob));
        },
        async replace(job) {
          const existing = await queue.getJob(job.id);
          if (existing) {
            if (liveStates.has(await existing.getState())) return;
            await existing.remove();
          }
          const { name: jobName, data, opts } = toJob(job);
          await queue.add(jobName, data, opts);
        },
        async stats() {
          const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
          const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
          return {
            waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
            delayed: counts.delayed ?? 0,
            // A retried job was ready when its delay ended, not when it was first added.
            oldestReadyAt: oldest
              ? (oldest.processedOn ?? oldest.timestamp) + (oldest.delay ?? 0)
              : undefined,
          };
        },
        close: () => closeBull([queue], [connection]),
      };
    },
    worker<Data>(name: string, options: JobWorkerOptions<Data>): JobWorker {
      const { logger } = options;
      const connection = createBullConnection(redisUrl, 'worker', `${name}-worker`);
      connection.on('error', (error) =>
        logger.warn({ err: error, queue: name }, 'queue worker redis error'),
      );
      const worker = new Worker<Data>(
        name,
        async (job, token) => {
          const outcome = await options.handle(queueJobOf(job));
          if (outcome?.retryAt) {
            // The same job waits for its next run: BullMQ keeps the timer.
            await job.moveToDelayed(outcome.retryAt.getTime(), token);
            throw new DelayedError();
          }
        },
        {
          connection,
          prefix,
          concurrency: options.concurrency,
          // An idle worker blocks on the queue's marker this many seconds per round trip (not 5):
          // a job added meanwhile ends the block at once, so only the idle cost changes.
          drainDelay: 30,
          ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
          ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
          ...(options.maxStalledCount ? { maxStalledCount: options.maxStalledCount } : {}),
        },
      );
      worker.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue worker error'));
      worker.on('failed', (job, error) => options.onFailed?.(job && queueJobOf(job), error));
      return {
        name,
        async close({ force = false } = {}) {
          await closeBull([worker], [connection], (part) => part.close(force));
        },
      };
    },
  };
}
