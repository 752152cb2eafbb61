import { UnrecoverableError } from 'bullmq';
import type {
  JobOutcome,
  JobProducer,
  JobQueues,
  JobWorker,
  JobWorkerOptions,
  NewJob,
  QueueJob,
  QueuePolicy,
} from './job-queue.js';

type State = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

interface Entry {
  job: QueueJob<unknown>;
  state: State;
  /** When it became ready to run (waiting), or will (delayed). */
  readyAt: number;
  timer?: NodeJS.Timeout;
}

interface Consumer {
  options: JobWorkerOptions<unknown>;
  running: Set<Promise<void>>;
  isClosed: boolean;
}

/**
 * One queue held in this process: the same behaviour as BullMQ's (ids remembered while kept,
 * delays, exponential retries, unrecoverable failures, `retryAt`), for a platform that runs in
 * one process without a Redis server. Its jobs live as long as the process: what was waiting
 * when it stopped is gone (webhook deliveries are put back from PostgreSQL by the sweep).
 */
class InProcessQueue {
  private readonly entries = new Map<string, Entry>();
  /** Ids of waiting jobs, oldest first. */
  private readonly ready: string[] = [];
  private readonly consumers = new Set<Consumer>();
  policy: QueuePolicy | undefined;

  constructor(readonly name: string) {}

  add(job: NewJob<unknown>): void {
    if (this.entries.has(job.id)) return;
    const entry: Entry = {
      job: { id: job.id, name: job.name, data: job.data, attemptsMade: 0 },
      state: 'waiting',
      readyAt: Date.now(),
    };
    this.entries.set(job.id, entry);
    this.delay(entry, job.delayMs ?? 0);
  }

  replace(job: NewJob<unknown>): void {
    const existing = this.entries.get(job.id);
    if (existing && ['waiting', 'delayed', 'active'].includes(existing.state)) return;
    if (existing) this.forget(job.id);
    this.add(job);
  }

  stats() {
    let delayed = 0;
    for (const entry of this.entries.values()) if (entry.state === 'delayed') delayed++;
    const oldest = this.ready[0];
    return {
      waiting: this.ready.length,
      delayed,
      oldestReadyAt: oldest === undefined ? undefined : this.entries.get(oldest)?.readyAt,
    };
  }

  consume(consumer: Consumer): void {
    this.consumers.add(consumer);
    this.dispatch();
  }

  stopConsuming(consumer: Consumer): void {
    this.consumers.delete(consumer);
  }

  /** Makes the job wait `delayMs` (0: ready now). */
  private delay(entry: Entry, delayMs: number): void {
    if (delayMs <= 0) return this.makeReady(entry);
    entry.state = 'delayed';
    entry.readyAt = Date.now() + delayMs;
    entry.timer = setTimeout(() => this.makeReady(entry), delayMs);
    // A delayed job does not keep the process alive, as a Redis one would not.
    entry.timer.unref();
  }

  private makeReady(entry: Entry): void {
    entry.timer = undefined;
    entry.state = 'waiting';
    entry.readyAt = Math.min(entry.readyAt, Date.now());
    this.ready.push(entry.job.id);
    this.dispatch();
  }

  /** Hands ready jobs to consumers with a free slot, oldest first. */
  private dispatch(): void {
    for (const consumer of this.consumers) {
      while (
        !consumer.isClosed &&
        consumer.running.size < consumer.options.concurrency &&
        this.ready.length > 0
      ) {
        const entry = this.entries.get(this.ready.shift()!);
        if (!entry || entry.state !== 'waiting') continue;
        entry.state = 'active';
        const run = this.run(consumer, entry).finally(() => {
          consumer.running.delete(run);
          this.dispatch();
        });
        consumer.running.add(run);
      }
    }
  }

  private async run(consumer: Consumer, entry: Entry): Promise<void> {
    const { options } = consumer;
    let outcome: JobOutcome;
    try {
      // A copy, so a handler cannot change what a retry sees.
      outcome = await options.handle({ ...entry.job, data: structuredClone(entry.job.data) });
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      entry.job.attemptsMade += 1;
      options.onFailed?.({ ...entry.job }, error);
      const policy = this.policy;
      const isFinal =
        error instanceof UnrecoverableError || !policy || entry.job.attemptsMade >= policy.attempts;
      if (isFinal) return this.finish(entry, 'failed', policy?.keepFailedMs ?? 0);
      return this.delay(entry, policy.backoffMs * 2 ** (entry.job.attemptsMade - 1));
    }
    if (outcome?.retryAt) return this.delay(entry, outcome.retryAt.getTime() - Date.now());
    this.finish(entry, 'completed', this.policy?.keepCompletedMs ?? 0);
  }

  /** Keeps a finished job (its id remembered) for `keepMs`, then forgets it. */
  private finish(entry: Entry, state: 'completed' | 'failed', keepMs: number): void {
    entry.state = state;
    entry.timer = setTimeout(() => {
      if (this.entries.get(entry.job.id) === entry) this.entries.delete(entry.job.id);
    }, keepMs);
    entry.timer.unref();
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    this.entries.delete(id);
  }
}

/** Every in-process queue of this process, by deployment (URL and key prefix) and name. */
const queues = new Map<string, InProcessQueue>();

function queueOf(deployment: string, name: string): InProcessQueue {
  const key = `${deployment}\u0000${name}`;
  let queue = queues.get(key);
  if (!queue) {
    queue = new InProcessQueue(name);
    queues.set(key, queue);
  }
  return queue;
}

/**
 * The queues of an embedded deployment: every service of the process that names the same
 * `memory:` URL and key prefix shares them, as services share a Redis server.
 */
export function inProcessJobQueues(redisUrl: string, keyPrefix: string): JobQueues {
  const deployment = `${redisUrl}\u0000${keyPrefix}`;
  return {
    kind: 'in-process',
    producer<Data>(name: string, policy: QueuePolicy): JobProducer<Data> {
      const queue = queueOf(deployment, name);
      // The producer's policy rules its jobs' retries, as BullMQ's default job options do.
      queue.policy = policy;
      return {
        name,
        add(jobs) {
          for (const job of jobs) queue.add(job);
          return Promise.resolve();
        },
        replace(job) {
          queue.replace(job);
          return Promise.resolve();
        },
        stats: () => Promise.resolve(queue.stats()),
        close: () => Promise.resolve(),
      };
    },
    worker<Data>(name: string, options: JobWorkerOptions<Data>): JobWorker {
      const queue = queueOf(deployment, name);
      const consumer: Consumer = {
        options,
        running: new Set(),
        isClosed: false,
      };
      queue.consume(consumer);
      return {
        name,
        async close({ force = false } = {}) {
          consumer.isClosed = true;
          queue.stopConsuming(consumer);
          if (!force) await Promise.all(consumer.running);
        },
      };
    },
  };
}
