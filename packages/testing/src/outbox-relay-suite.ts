import { Queue } from 'bullmq';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bullPrefix,
  createBullConnection,
  createEventQueue,
  createLogger,
  createRedis,
  eventsQueueName,
  newId,
  openDatabase,
  outboxChannel,
  relayOutboxBatch,
  startOutboxRelay,
  type DatabaseHandle,
  type EventJobData,
  type EventQueue,
  type OutboxRelay,
  type OutboxRow,
  type OutboxSource,
  type OutboxTable,
  type Redis,
} from '@expe/server-kit';
import {
  createTestDatabase,
  createTestRedisPrefix,
  testRedisUrl,
  type TestDatabase,
} from './index.js';

export interface OutboxRelaySuiteOptions<TRow extends OutboxRow> {
  /** The service's outbox table, as its drizzle schema declares it (made by `outboxTable`). */
  table: OutboxTable<TRow>;
  /** The service's migrations, run into a database of the suite's own. */
  migrations: { folder: string; schema: string };
  /** The values of a merchant event of this outbox with the given id (what the service writes). */
  newRow(id: string): Record<string, unknown>;
}

/**
 * The kit's outbox relay (`relayOutboxBatch`, ADR 0003, ADR 0009) over one service's outbox
 * table, against real PostgreSQL and real Redis/BullMQ: every service that has an outbox runs
 * this suite over its own table, so the guarantees hold for each table shape, not for one.
 */
export function describeOutboxRelay<TRow extends OutboxRow>(
  options: OutboxRelaySuiteOptions<TRow>,
): void {
  describe(`the kit's outbox relay over ${options.migrations.schema}'s outbox`, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    let redisPrefix: ReturnType<typeof createTestRedisPrefix>;
    let queue: EventQueue;
    let publisher: Redis;
    let bull: Queue<EventJobData>;
    let bullConnection: ReturnType<typeof createBullConnection>;

    beforeAll(async () => {
      database = await createTestDatabase(`outbox_relay_${options.migrations.schema}`);
      handle = openDatabase({ url: database.url, maxConnections: 4 });
      await handle.migrate(options.migrations);
      redisPrefix = createTestRedisPrefix('outbox-relay');
      queue = createEventQueue(testRedisUrl, redisPrefix.prefix);
      publisher = createRedis(testRedisUrl);
      bullConnection = createBullConnection(testRedisUrl, 'producer', 'outbox-relay-suite');
      bullConnection.on('error', () => {});
      bull = new Queue<EventJobData>(eventsQueueName, {
        connection: bullConnection,
        prefix: bullPrefix(redisPrefix.prefix),
      });
    });

    afterAll(async () => {
      await bull?.close();
      bullConnection?.disconnect();
      await queue?.close();
      publisher?.disconnect();
      await handle?.close();
      await database?.drop();
      await redisPrefix?.cleanup();
    });

    const source = (queues: OutboxSource<TRow>['queues'] = [queue]): OutboxSource<TRow> => ({
      db: handle.db,
      table: options.table,
      queues,
      publisher,
      keyPrefix: redisPrefix.prefix,
    });

    /**
     * Commits `count` new events, oldest id first, in one plain INSERT (as the services and their
     * SQL functions write them: the table's trigger wakes the relays); answers their ids.
     */
    async function recordEvents(count: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => newId('evt'));
      await handle.db.insert(options.table).values(ids.map((id) => options.newRow(id)));
      return ids;
    }

    async function relayedAt(ids: readonly string[]): Promise<(Date | null)[]> {
      const rows = await handle.db
        .select({ id: options.table.id, relayedAt: options.table.relayedAt })
        .from(options.table)
        .where(inArray(options.table.id, [...ids]));
      const relayed = new Map(rows.map((row) => [row.id, row.relayedAt as Date | null]));
      return ids.map((id) => relayed.get(id) ?? null);
    }

    const isRelayed = async (ids: readonly string[]) =>
      (await relayedAt(ids)).every((at) => at !== null);

    /** The backend pids LISTENing on this outbox's channel (its relays' listeners). */
    async function listenerPids(): Promise<number[]> {
      const result: unknown = await handle.db.execute(
        sql`select pid from pg_stat_activity
            where datname = current_database() and application_name = ${`listen ${outboxChannel(options.table)}`}`,
      );
      return (result as { rows: { pid: number }[] }).rows.map((row) => row.pid);
    }

    /**
     * A running relay whose safety poll is `intervalMs`, once it listens: it relays what was
     * committed before it listened (no notification reached it) when its LISTEN took effect.
     */
    async function startListeningRelay(intervalMs: number, batchSize = 100): Promise<OutboxRelay> {
      const before = await recordEvents(1);
      const relay = startOutboxRelay({
        ...source(),
        database: handle,
        logger: createLogger({ name: 'outbox-relay-suite', level: 'silent' }),
        intervalMs,
        batchSize,
      });
      await expect.poll(() => isRelayed(before), { timeout: 10_000 }).toBe(true);
      return relay;
    }

    /** Relays until the outbox is empty; answers how many batches that took. */
    async function drain(relay: OutboxSource<TRow>): Promise<void> {
      while ((await relayOutboxBatch(relay, 100)) > 0);
    }

    it('when two relays poll at once, then each event is claimed by exactly one of them, oldest first, and is one job', async () => {
      await drain(source());
      const ids = await recordEvents(6);
      const claimed = { first: [] as string[], second: [] as string[] };
      // The first relay holds its claim open until the second relay's batch is over.
      let releaseFirst!: () => void;
      const secondDone = new Promise<void>((resolve) => (releaseFirst = resolve));
      const recording = (
        into: string[],
        wait?: Promise<void>,
      ): Pick<EventQueue, 'enqueueMany'> => ({
        async enqueueMany(jobs) {
          into.push(...jobs.map((job) => job.event.id));
          await wait;
          await queue.enqueueMany(jobs);
        },
      });

      const first = relayOutboxBatch(source([recording(claimed.first, secondDone)]), 3);
      await expect.poll(() => claimed.first.length).toBe(3);
      const second = await relayOutboxBatch(source([recording(claimed.second)]), 100);
      releaseFirst();
      expect(await first).toBe(3);

      expect(second).toBe(3);
      expect(claimed.first).toEqual(ids.slice(0, 3));
      expect(claimed.second).toEqual(ids.slice(3));
      expect((await relayedAt(ids)).every((at) => at !== null)).toBe(true);
      const jobs = await Promise.all(ids.map((id) => bull.getJob(id)));
      expect(jobs.map((job) => job?.data.event.id)).toEqual(ids);
      expect(await relayOutboxBatch(source(), 100)).toBe(0);
    });

    it('when the relay publishes, then the event is marked relayed only after the queue took it', async () => {
      await drain(source());
      const [id] = await recordEvents(1);
      let unmarkedWhilePublishing: (Date | null)[] | undefined;
      const observing: Pick<EventQueue, 'enqueueMany'> = {
        async enqueueMany(jobs) {
          // Another connection sees the row unmarked while the publish is under way.
          unmarkedWhilePublishing = await relayedAt([id!]);
          await queue.enqueueMany(jobs);
        },
      };

      expect(await relayOutboxBatch(source([observing]), 100)).toBe(1);

      expect(unmarkedWhilePublishing).toEqual([null]);
      expect((await relayedAt([id!]))[0]).toBeInstanceOf(Date);
      const job = await bull.getJob(id!);
      expect(job?.data).toMatchObject({ event: { id, object: 'event' }, mode: 'test' });
    });

    it('when events are inserted, then the table wakes the running relay, which publishes them at once, a burst of several batches too, without waiting for its safety poll', async () => {
      await drain(source());
      // An hour between safety polls: only the notification can move these events in time.
      const relay = await startListeningRelay(3_600_000, 100);
      try {
        const [single] = await recordEvents(1);
        await expect.poll(() => isRelayed([single!]), { timeout: 5_000 }).toBe(true);

        const burst = await recordEvents(250);
        await expect.poll(() => isRelayed(burst), { timeout: 10_000 }).toBe(true);
        const jobs = await Promise.all(burst.map((id) => bull.getJob(id)));
        expect(jobs.map((job) => job?.id)).toEqual(burst);
      } finally {
        await relay.stop();
      }
    });

    it("when a wake-up is missed (a notification sent while the relay's connection was down), then the safety poll relays it and the relay listens again", async () => {
      await drain(source());
      const relay = await startListeningRelay(300);
      try {
        const [lostListener] = await listenerPids();
        expect(lostListener).toBeDefined();
        await handle.db.execute(sql`select pg_terminate_backend(${lostListener})`);
        await expect.poll(() => listenerPids()).not.toContain(lostListener);
        const [unheard] = await recordEvents(1);
        await expect.poll(() => isRelayed([unheard!]), { timeout: 5_000 }).toBe(true);
        await expect
          .poll(async () => (await listenerPids()).filter((pid) => pid !== lostListener))
          .toHaveLength(1);
      } finally {
        await relay.stop();
      }
      expect(await listenerPids()).toEqual([]);
    });

    it('when the queue refuses the batch, then nothing is marked and the next poll sends it, once', async () => {
      await drain(source());
      const ids = await recordEvents(2);
      // The real producer, its connection gone (as while Redis is down): the add fails fast.
      const closed = createEventQueue(testRedisUrl, redisPrefix.prefix);
      await closed.close();
      // Which of ioredis's two refusals depends on how far the connection got before the close.
      await expect(relayOutboxBatch(source([closed]), 100)).rejects.toThrow(
        /Connection is closed|Stream isn't writeable/,
      );
      expect(await relayedAt(ids)).toEqual([null, null]);
      expect(await Promise.all(ids.map((id) => bull.getJob(id)))).toEqual([undefined, undefined]);

      expect(await relayOutboxBatch(source(), 100)).toBe(2);

      expect((await relayedAt(ids)).every((at) => at !== null)).toBe(true);
      const jobs = await Promise.all(ids.map((id) => bull.getJob(id)));
      expect(jobs.map((job) => job?.id)).toEqual(ids);
    });
  });
}
