import { context, SpanKind, SpanStatusCode, trace, type Link } from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';
import { asc, isNull, sql } from 'drizzle-orm';
import { getTableConfig, type AnyPgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { EventResource } from '@expe/contracts';
import type { Database, DatabaseHandle, Listener } from './db.js';
import type { EventJobData, EventQueue } from './event-queue.js';
import { unixSeconds } from './ids.js';
import type { Logger } from './logger.js';
import type { OutboxRow } from './outbox-table.js';
import { prefixedChannel, realtimeChannels } from './realtime-channels.js';
import type { Redis } from './redis.js';
import { withTransaction, type Transaction } from './transaction.js';

const tracer = trace.getTracer('expe-outbox');

/** A table made by `outboxTable` (outbox-table.ts): the relay claims and marks its rows. */
export type OutboxTable<TRow extends OutboxRow = OutboxRow> = PgTable & {
  id: AnyPgColumn;
  relayedAt: AnyPgColumn;
  $inferSelect: TRow;
};

/** What one service's relay moves, and where to. */
export interface OutboxSource<TRow extends OutboxRow = OutboxRow> {
  db: Database;
  table: OutboxTable<TRow>;
  /**
   * Every merchant event (a row with a `merchant_id`) goes onto each of these queues, `jobId` =
   * the event id: `expe-events` (the fan-out to endpoints), and for a service other than
   * payments `expe-event-log` too (ADR 0009).
   */
  queues: readonly Pick<EventQueue, 'enqueueMany'>[];
  /** Publishes to pub/sub for the WebSocket; channel names are prefixed here, not by ioredis. */
  publisher: Pick<Redis, 'pipeline'>;
  keyPrefix: string;
  /**
   * Pub/sub channels of the event beyond its project's (in its mode), e.g. payments' payment and
   * wallet-owner channels.
   */
  extraChannels?: (row: TRow) => string[];
}

/** The event as every consumer sees it: delivered to endpoints, listed by `GET /v1/events`. */
export function outboxEventResource(row: OutboxRow): EventResource {
  return {
    id: row.id,
    object: 'event',
    type: row.type,
    created: unixSeconds(row.createdAt),
    livemode: row.mode === 'live',
    data: { object: row.data },
  };
}

/** The job of `expe-events` / `expe-event-log` for an outbox row. */
export function outboxEventJob(row: OutboxRow): EventJobData {
  return {
    event: outboxEventResource(row),
    merchant_id: row.merchantId,
    project_id: row.projectId,
    mode: row.mode,
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  };
}

/**
 * Moves one batch of committed events out of an outbox (ADR 0003, ADR 0009), oldest first: each
 * merchant event onto every queue of the source (job id = event id, so a batch sent again after
 * a crash is not taken twice), and every event to its pub/sub channels. Rows are claimed
 * `FOR UPDATE SKIP LOCKED`, so replicas share the work and never take the same row at once,
 * and are marked relayed in the same transaction only after every publish succeeded: while
 * Redis is down nothing is marked and the next poll sends them again (at least once).
 *
 * An idle poll makes no span: the claim runs with tracing suppressed, so a relay polling every
 * 200 ms does not put five one-span traces a second into the collector. A poll that claims
 * events is one trace: `relay <schema>.<table>` (linked to the trace of each event) with the
 * publish and the mark under it, while each event's `send <queue>` span continues the trace
 * the event was recorded in (queue-tracing.ts).
 */
// unscoped: the relay moves every project's committed events; each job and channel names its project.
export function relayOutboxBatch<TRow extends OutboxRow>(
  source: OutboxSource<TRow>,
  batchSize: number,
): Promise<number> {
  const outer = context.active();
  const startTime = new Date();
  return context.with(core.suppressTracing(outer), async () => {
    let span: ReturnType<typeof tracer.startSpan> | undefined;
    try {
      // One attempt: the next poll is the retry, and a rerun here would publish the batch twice.
      return await withTransaction(
        source.db,
        async (tx) => {
          const rows = await claim(tx, source.table, batchSize);
          if (rows.length === 0) return 0;
          span = tracer.startSpan(
            `relay ${tableName(source.table)}`,
            {
              kind: SpanKind.INTERNAL,
              root: true,
              startTime,
              links: linksOf(rows),
              attributes: {
                'expe.outbox.table': tableName(source.table),
                'messaging.batch.message_count': rows.length,
              },
            },
            outer,
          );
          return context.with(trace.setSpan(outer, span), () => publish(tx, source, rows));
        },
        { attempts: 1 },
      );
    } catch (error) {
      span?.recordException(error as Error);
      span?.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span?.end();
    }
  });
}

async function publish<TRow extends OutboxRow>(
  tx: Transaction,
  source: OutboxSource<TRow>,
  rows: TRow[],
): Promise<number> {
  const jobs = rows.filter((row) => row.merchantId !== null).map(outboxEventJob);
  if (jobs.length > 0) {
    for (const queue of source.queues) await queue.enqueueMany(jobs);
  }

  const pipeline = source.publisher.pipeline();
  for (const row of rows) {
    const payload = JSON.stringify(outboxEventResource(row));
    for (const channel of channelsOf(row, source.extraChannels)) {
      pipeline.publish(prefixedChannel(source.keyPrefix, channel), payload);
    }
  }
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0] as Error;

  // One array parameter, not one per row: the same statement whatever the batch's size.
  const ids = sql.param(rows.map((row) => row.id));
  await tx
    .update(source.table)
    .set({ relayedAt: new Date() })
    .where(sql`${source.table.id} = any(${ids}::text[])`);
  return rows.length;
}

function claim<TRow extends OutboxRow>(
  tx: Transaction,
  table: OutboxTable<TRow>,
  limit: number,
): Promise<TRow[]> {
  return tx
    .select()
    .from(table)
    .where(isNull(table.relayedAt))
    .orderBy(asc(table.id))
    .limit(limit)
    .for('update', { skipLocked: true }) as Promise<TRow[]>;
}

function channelsOf<TRow extends OutboxRow>(
  row: TRow,
  extraChannels: ((row: TRow) => string[]) | undefined,
): string[] {
  return [
    // The WebSocket `merchant` channel is the project's (in its mode): another project of the
    // same merchant never hears of it.
    ...(row.projectId ? [realtimeChannels.project(row.projectId, row.mode)] : []),
    ...(extraChannels?.(row) ?? []),
  ];
}

function linksOf(rows: readonly OutboxRow[]): Link[] {
  return rows.flatMap((row) => {
    const [, traceId, spanId, flags] = row.traceparent?.split('-') ?? [];
    if (!traceId || !spanId || !flags) return [];
    return [{ context: { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & 1 } }];
  });
}

function tableName(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return schema ? `${schema}.${name}` : name;
}

/**
 * The channel a relay LISTENs on for its outbox: `expe_outbox_<schema>_<table>`, lower case, as
 * PostgreSQL folds an unquoted name (PGlite's `listen` does not quote it). The outbox table's
 * trigger (a statement-level AFTER INSERT trigger of the service's migrations, e.g. payments'
 * 0015) NOTIFYs it whenever a statement writes rows still to be relayed, so every writer wakes the
 * relay — the services' inserts and SQL functions alike — once its transaction commits.
 */
export function outboxChannel(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return `expe_outbox_${schema ?? 'public'}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

export interface OutboxRelay {
  /** Relays now (and again after a batch in progress), as a notification does. */
  wake(): void;
  /** Stops listening and polling and waits for the batch in progress. */
  stop(): Promise<void>;
}

export interface OutboxRelayOptions<TRow extends OutboxRow = OutboxRow> extends OutboxSource<TRow> {
  logger: Logger;
  /**
   * Where the relay LISTENs for its table's trigger (the service's database handle); without it, the
   * relay only polls.
   */
  database?: Pick<DatabaseHandle, 'listen'>;
  /**
   * The safety poll: how long the relay waits for a notification before it looks anyway (events
   * written without one, a notification lost while the listening connection was down). 0 turns
   * the relay off (tests that drive `relayOutboxBatch` themselves).
   */
  intervalMs: number;
  batchSize?: number;
  /**
   * The least time between the end of one relay run and the start of the next one that a
   * wake-up starts (default 50 ms): under load the events of many transactions go in one claim,
   * one publish and one mark instead of a transaction of the relay every few writes, at the cost
   * of at most this much more delay for an event. A run after a quiet spell starts at once.
   */
  minGapMs?: number;
  /** After each batch that moved events (payments wakes its scheduler: something happened). */
  onRelayed?: (count: number) => void;
}

/**
 * The outbox relay every service that emits events runs over its own outbox (ADR 0003, ADR
 * 0009). It relays when woken: by a NOTIFY on `outboxChannel(table)` (sent by the table's trigger in
 * the writer's transaction, so it arrives once the events are committed), by `wake()`, and by
 * the safety poll every `intervalMs`; and again while batches come back full or a wake
 * arrived during a batch (no sooner than `minGapMs` after the run before), so a burst drains
 * without waiting for the poll. An idle service runs
 * no query between polls. At start it relays once, and again each time it listens anew after
 * its connection was lost, for what was committed meanwhile.
 * Failures (Redis down) are logged once per outage and retried on the next poll: an event is
 * late, never lost.
 */
export function startOutboxRelay<TRow extends OutboxRow>(
  options: OutboxRelayOptions<TRow>,
): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const minGapMs = options.minGapMs ?? 50;
  const channel = outboxChannel(options.table);
  let timer: NodeJS.Timeout | undefined;
  let gapTimer: NodeJS.Timeout | undefined;
  let lastRunEndedAt = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  let listener: Promise<Listener | undefined> | undefined;
  let isStopped = false;
  let isFailing = false;
  let isWokenDuringRun = false;

  const relayAll = async () => {
    try {
      let relayed = batchSize;
      while (relayed === batchSize && !isStopped) {
        relayed = await relayOutboxBatch(options, batchSize);
        if (relayed > 0) options.onRelayed?.(relayed);
      }
      if (isFailing) options.logger.info('event relay recovered');
      isFailing = false;
    } catch (error) {
      if (!isFailing)
        options.logger.warn({ err: error }, 'event relay failed; events stay in the outbox');
      isFailing = true;
    }
  };

  // Listens unless already listening; a connection lost is listened anew at the next poll.
  const listen = () => {
    const { database } = options;
    if (!database || listener || isStopped) return;
    listener = database
      .listen(channel, {
        onNotify: () => wake(),
        onLost: (error) => {
          options.logger.warn({ err: error, channel }, 'outbox listener lost; relay polls');
          listener = undefined;
        },
      })
      .then(
        (opened) => {
          // Whatever was committed before LISTEN took effect is relayed now.
          wake();
          return opened;
        },
        (error: unknown) => {
          options.logger.warn({ err: error, channel }, 'outbox listener failed; relay polls');
          listener = undefined;
          wake();
          return undefined;
        },
      );
  };

  const schedule = () => {
    clearTimeout(timer);
    if (isStopped) return;
    timer = setTimeout(() => {
      listen();
      wake();
    }, options.intervalMs);
    timer.unref();
  };

  function wake() {
    if (isStopped) return;
    if (running) {
      isWokenDuringRun = true;
      return;
    }
    const wait = lastRunEndedAt + minGapMs - performance.now();
    if (wait > 0) {
      // Wake-ups within the gap are one run at its end.
      gapTimer ??= setTimeout(() => {
        gapTimer = undefined;
        wake();
      }, wait);
      gapTimer.unref();
      return;
    }
    isWokenDuringRun = false;
    running = relayAll().finally(() => {
      running = undefined;
      lastRunEndedAt = performance.now();
      if (isWokenDuringRun) wake();
      else schedule();
    });
  }

  if (options.intervalMs > 0) {
    listen();
    // Without a listener the first poll relays what was left; with one, its opening does.
    if (!options.database) wake();
  }

  return {
    wake: () => {
      if (options.intervalMs > 0) wake();
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      clearTimeout(gapTimer);
      const opened = await listener;
      await opened?.close();
      await running;
    },
  };
}
