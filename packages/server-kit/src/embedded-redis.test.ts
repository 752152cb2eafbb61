import { createTestRedisPrefix } from '@expe/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openJobQueues,
  UnrecoverableError,
  type JobOutcome,
  type JobQueues,
  type JobWorker,
  type QueueJob,
  type QueuePolicy,
} from './job-queue.js';
import { createLogger } from './logger.js';
import { createSlidingWindowLimiter } from './rate-limit.js';
import { createRedis, createSubscriber, type Redis } from './redis.js';

/**
 * One contract, two implementations: every behaviour the services rely on from Redis — the
 * commands they send, pub/sub and the job queues — is checked against a real Redis server and
 * against the embedded stand-in (`memory:` URL) that `npm start` uses without one. A test that
 * passes on one and fails on the other is a difference a service would see.
 */
const run = `${process.pid}-${Date.now()}`;
const backends = [
  { name: 'Redis', url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  { name: 'embedded (in process)', url: `memory://contract-${run}` },
];
const logger = createLogger({ name: 'contract', level: 'silent' });

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(backends)('the Redis parts on $name', ({ url }) => {
  // On real Redis the keys (BullMQ's queues and jobs included) go when the suite ends.
  const redisPrefix = createTestRedisPrefix('contract');
  const { prefix } = redisPrefix;
  const clients: Redis[] = [];
  const workers: JobWorker[] = [];
  const closers: (() => Promise<void>)[] = [];
  const client = (keyPrefix = prefix) => {
    const redis = createRedis(url, { keyPrefix });
    clients.push(redis);
    return redis;
  };
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(closers.map((close) => close()));
    for (const redis of clients) redis.disconnect();
    await redisPrefix.cleanup();
  });

  describe('keys and values', () => {
    it('when a value is set with a TTL, then it is read until the TTL passes, then gone', async () => {
      const redis = client();
      await redis.set('ttl', '1', 'PX', 200);
      expect(await redis.get('ttl')).toBe('1');
      const ttl = await redis.pttl('ttl');
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(200);
      const start = Date.now();
      while ((await redis.get('ttl')) !== null) {
        expect(Date.now() - start).toBeLessThan(5_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await redis.pttl('ttl')).toBe(-2);
      expect(await redis.pttl('never-set')).toBe(-2);
    });

    it('when two clients of one deployment use the same key, then they see one value', async () => {
      await client().set('shared', 'a', 'EX', 60);
      expect(await client().mget('shared', 'absent')).toEqual(['a', null]);
      expect(await client().exists('shared')).toBe(1);
      await client().del('shared', 'absent');
      expect(await client().exists('shared')).toBe(0);
    });

    it('when clients have different key prefixes, then neither sees the other’s keys', async () => {
      await client(`${prefix}one:`).set('k', 'one');
      expect(await client(`${prefix}two:`).get('k')).toBeNull();
      expect(await client(`${prefix}one:`).get('k')).toBe('one');
    });

    it('when a counter is incremented in a transaction, then each increment counts once', async () => {
      const redis = client();
      const first = await redis.multi().incr('counter').pexpire('counter', 60_000).exec();
      expect(first).toEqual([
        [null, 1],
        [null, 1],
      ]);
      const counts = await Promise.all(
        Array.from(
          { length: 10 },
          async () => (await redis.multi().incr('counter').exec())![0]![1],
        ),
      );
      expect([...counts].sort((a, b) => Number(a) - Number(b))).toEqual([
        2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      ]);
    });

    it('when entries are pushed and trimmed (a request log), then the newest are kept in order', async () => {
      const redis = client();
      for (const entry of ['a', 'b', 'c', 'd']) {
        await redis.multi().lpush('log', entry).ltrim('log', 0, 2).expire('log', 60).exec();
      }
      expect(await redis.lrange('log', 0, -1)).toEqual(['d', 'c', 'b']);
    });

    it('answers a ping (readiness)', async () => {
      expect(await client().ping()).toBe('PONG');
    });
  });

  describe('rate limits (the sliding-window script)', () => {
    it('when more requests than the limit arrive at once, then exactly the limit is allowed', async () => {
      const limiter = createSlidingWindowLimiter(client(), {
        name: 'burst',
        limit: 5,
        windowMs: 5_000,
      });
      const results = await Promise.all(Array.from({ length: 12 }, () => limiter.consume('k')));
      expect(results.filter((result) => result.allowed)).toHaveLength(5);
      const refused = results.find((result) => !result.allowed)!;
      expect(refused.remaining).toBe(0);
      expect(refused.resetMs).toBeGreaterThan(0);
      expect(refused.resetMs).toBeLessThanOrEqual(5_000);
    });

    it('when the window slides past the oldest request, then a slot frees up; reset forgets', async () => {
      const limiter = createSlidingWindowLimiter(client(), {
        name: 'slide',
        limit: 1,
        windowMs: 200,
      });
      expect((await limiter.consume('k')).allowed).toBe(true);
      expect((await limiter.consume('k')).allowed).toBe(false);
      expect((await limiter.consume('other')).allowed).toBe(true);
      const start = Date.now();
      while (!(await limiter.consume('k')).allowed) {
        expect(Date.now() - start).toBeLessThan(5_000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(Date.now() - start).toBeGreaterThan(100);
      await limiter.reset('k');
      expect((await limiter.consume('k')).allowed).toBe(true);
    });
  });

  describe('pub/sub', () => {
    it('when a message is published to a channel, then its subscribers receive it, and not after unsubscribing', async () => {
      const subscriber = createSubscriber(url);
      clients.push(subscriber);
      const received: [string, string][] = [];
      subscriber.on('message', (channel: string, message: string) =>
        received.push([channel, message]),
      );
      const channel = `${prefix}events:payment:pay_1`;
      await subscriber.subscribe(channel);
      const publisher = client();
      const results = await publisher
        .pipeline()
        .publish(channel, '{"n":1}')
        .publish(`${prefix}elsewhere`, 'x')
        .exec();
      expect(results?.[0]).toEqual([null, 1]);
      await waitFor(() => received.length === 1);
      expect(received).toEqual([[channel, '{"n":1}']]);
      await subscriber.unsubscribe(channel);
      expect(await publisher.publish(channel, '{"n":2}')).toBe(0);
    });
  });

  describe('job queues', () => {
    const policy: QueuePolicy = {
      attempts: 3,
      backoffMs: 100,
      keepCompletedMs: 60_000,
      keepFailedMs: 60_000,
    };
    let sequence = 0;
    const queues = (): { queues: JobQueues; name: string } => ({
      queues: openJobQueues(url, prefix),
      name: `contract-${sequence++}`,
    });
    const producer = <Data>(queues: JobQueues, name: string) => {
      const queue = queues.producer<Data>(name, policy);
      closers.push(() => queue.close());
      return queue;
    };
    const worker = <Data>(
      queues: JobQueues,
      name: string,
      handle: (job: QueueJob<Data>) => JobOutcome | Promise<JobOutcome>,
      options: { concurrency?: number; failures?: Error[] } = {},
    ) => {
      const started = queues.worker<Data>(name, {
        handle: async (job) => handle(job),
        concurrency: options.concurrency ?? 1,
        logger,
        onFailed: (_job, error) => options.failures?.push(error),
      });
      workers.push(started);
      return started;
    };

    it('when a job id is added again, while waiting or after it ran, then it runs once', async () => {
      const { queues: q, name } = queues();
      const queue = producer<{ n: number }>(q, name);
      await queue.add([
        { id: 'evt_1', name: 'event', data: { n: 1 } },
        { id: 'evt_1', name: 'event', data: { n: 2 } },
        { id: 'evt_2', name: 'event', data: { n: 3 } },
      ]);
      const runs: [string, number][] = [];
      worker<{ n: number }>(q, name, (job) => {
        runs.push([job.id, job.data.n]);
      });
      await waitFor(() => runs.length === 2);
      await queue.add([{ id: 'evt_1', name: 'event', data: { n: 4 } }]);
      await queue.add([{ id: 'evt_3', name: 'event', data: { n: 5 } }]);
      await waitFor(() => runs.length === 3);
      expect(runs).toEqual([
        ['evt_1', 1],
        ['evt_2', 3],
        ['evt_3', 5],
      ]);
    });

    it('when a job is added with a delay, then it runs no earlier', async () => {
      const { queues: q, name } = queues();
      const queue = producer<null>(q, name);
      const ranAt: number[] = [];
      worker<null>(q, name, () => {
        ranAt.push(Date.now());
      });
      const addedAt = Date.now();
      await queue.add([{ id: 'later', name: 'job', data: null, delayMs: 400 }]);
      await waitFor(() => ranAt.length === 1);
      expect(ranAt[0]! - addedAt).toBeGreaterThanOrEqual(390);
    });

    it('when a job throws, then it is retried with growing backoff until it succeeds', async () => {
      const { queues: q, name } = queues();
      const queue = producer<null>(q, name);
      const runs: { attemptsMade: number; at: number }[] = [];
      const failures: Error[] = [];
      worker<null>(
        q,
        name,
        (job) => {
          runs.push({ attemptsMade: job.attemptsMade, at: Date.now() });
          if (runs.length < 3) throw new Error(`database down (${runs.length})`);
        },
        { failures },
      );
      await queue.add([{ id: 'flaky', name: 'job', data: null }]);
      await waitFor(() => runs.length === 3);
      expect(runs.map((r) => r.attemptsMade)).toEqual([0, 1, 2]);
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(90);
      expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(190);
      expect(failures.map((e) => e.message)).toEqual(['database down (1)', 'database down (2)']);
    });

    /**
     * Runs one job whose handler always throws `error` until it has failed `failures` times;
     * answers how often it ran and what the queue still has to run.
     */
    const failingJob = async (id: string, error: Error, failures: number) => {
      const { queues: q, name } = queues();
      const queue = producer<null>(q, name);
      const failed: Error[] = [];
      let runs = 0;
      worker<null>(
        q,
        name,
        () => {
          runs++;
          throw error;
        },
        { failures: failed },
      );
      await queue.add([{ id, name: 'job', data: null }]);
      await waitFor(() => failed.length === failures);
      const stats = await queue.stats();
      return { runs, left: stats.waiting + stats.delayed };
    };

    it('when a job keeps throwing, then it stops after the policy’s attempts', async () => {
      // Later runs would come after 400 ms; the queue's stats say nothing is left to run.
      expect(await failingJob('doomed', new Error('always'), 3)).toEqual({ runs: 3, left: 0 });
    });

    it('when a job throws UnrecoverableError, then it fails at once, without retries', async () => {
      const error = new UnrecoverableError('not an event this consumer accepts');

      expect(await failingJob('invalid', error, 1)).toEqual({ runs: 1, left: 0 });
    });

    it('when a handler answers retryAt, then the same job runs again at that time', async () => {
      const { queues: q, name } = queues();
      const queue = producer<{ delivery: string }>(q, name);
      const runs: { id: string; at: number; attemptsMade: number }[] = [];
      let retryAt = 0;
      worker<{ delivery: string }>(q, name, (job) => {
        runs.push({ id: job.id, at: Date.now(), attemptsMade: job.attemptsMade });
        if (runs.length === 1) {
          retryAt = Date.now() + 300;
          return { retryAt: new Date(retryAt) };
        }
      });
      await queue.add([{ id: 'evt_1-we_1', name: 'deliver', data: { delivery: 'whd_1' } }]);
      await waitFor(() => runs.length === 1);
      const stats = await queue.stats();
      expect(stats.delayed).toBe(1);
      await waitFor(() => runs.length === 2);
      expect(runs[1]!.id).toBe('evt_1-we_1');
      expect(runs[1]!.at).toBeGreaterThanOrEqual(retryAt - 10);
      expect(runs[1]!.attemptsMade).toBe(0);
    });

    it('when a job is replaced, then a live one is left alone and a finished one runs again', async () => {
      const { queues: q, name } = queues();
      const queue = producer<null>(q, name);
      await queue.add([{ id: 'job', name: 'job', data: null, delayMs: 60_000 }]);
      await queue.replace({ id: 'job', name: 'job', data: null });
      expect(await queue.stats()).toMatchObject({ waiting: 0, delayed: 1 });

      const other = queues();
      const done = producer<null>(q, other.name);
      let runs = 0;
      worker<null>(q, other.name, () => {
        runs++;
      });
      await done.add([{ id: 'once', name: 'job', data: null }]);
      await waitFor(() => runs === 1);
      await done.add([{ id: 'once', name: 'job', data: null }]);
      await done.replace({ id: 'once', name: 'job', data: null });
      await waitFor(() => runs === 2);
    });

    it('counts waiting and delayed jobs and knows since when the oldest waits', async () => {
      const { queues: q, name } = queues();
      const queue = producer<null>(q, name);
      const before = Date.now();
      await queue.add([
        { id: 'a', name: 'job', data: null },
        { id: 'b', name: 'job', data: null },
        { id: 'c', name: 'job', data: null, delayMs: 60_000 },
      ]);
      const stats = await queue.stats();
      expect(stats).toMatchObject({ waiting: 2, delayed: 1 });
      expect(stats.oldestReadyAt).toBeGreaterThanOrEqual(before - 5);
      expect(stats.oldestReadyAt).toBeLessThanOrEqual(Date.now());
    });

    it('runs at most `concurrency` jobs at once, and a close waits for the running ones', async () => {
      const { queues: q, name } = queues();
      const queue = producer<null>(q, name);
      let running = 0;
      let most = 0;
      let finished = 0;
      const release: (() => void)[] = [];
      const started = worker<null>(
        q,
        name,
        async () => {
          running++;
          most = Math.max(most, running);
          await new Promise<void>((resolve) => release.push(resolve));
          running--;
          finished++;
        },
        { concurrency: 2 },
      );
      await queue.add(['a', 'b', 'c', 'd'].map((id) => ({ id, name: 'job', data: null })));
      await waitFor(() => release.length === 2);
      const closing = started.close();
      let isClosed = false;
      void closing.then(() => (isClosed = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(isClosed).toBe(false);
      for (const resolve of release.splice(0)) resolve();
      await closing;
      expect(finished).toBe(2);
      expect(most).toBe(2);
      expect((await queue.stats()).waiting).toBe(2);
    });
  });
});
