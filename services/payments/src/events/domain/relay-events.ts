import {
  prefixedChannel,
  realtimeChannels,
  type Database,
  type EventJobData,
  type EventQueue,
  type Redis,
  withTransaction,
} from '@expe/server-kit';
import { claimUnrelayedEvents, markEventsRelayed, type EventRow } from '../db/event-repository.js';
import { toEventResource } from './event-resources.js';

export interface RelayDeps {
  db: Database;
  queue: Pick<EventQueue, 'enqueueMany'>;
  /** Publishes to pub/sub; channel names are prefixed here, not by ioredis. */
  publisher: Pick<Redis, 'pipeline'>;
  keyPrefix: string;
  batchSize?: number;
}

/**
 * Moves one batch of committed outbox events out to the world (ADR 0003): merchant events onto
 * the webhooks queue (job id = event id, so a retried batch is not delivered twice), and every
 * event to the pub/sub channels of its payment, project (and mode) and wallet owners for the
 * WebSocket.
 * Rows are claimed with SKIP LOCKED, so replicas share the work, and are marked relayed only
 * after both succeeded: while Redis is down nothing is marked and the next tick retries.
 * Returns how many events were relayed.
 */
// unscoped: the relay moves every project's events; each job and channel names its project.
export async function relayEvents(deps: RelayDeps): Promise<number> {
  // One attempt: the next tick is the retry, and a rerun would publish the batch twice.
  const once = { attempts: 1 };
  return withTransaction(
    deps.db,
    async (tx) => {
      const rows = await claimUnrelayedEvents(tx, deps.batchSize ?? 100);
      if (rows.length === 0) return 0;

      await deps.queue.enqueueMany(rows.filter((row) => row.merchantId).map(toJob));

      const pipeline = deps.publisher.pipeline();
      for (const row of rows) {
        const payload = JSON.stringify(toEventResource(row));
        for (const channel of channelsOf(row)) {
          pipeline.publish(prefixedChannel(deps.keyPrefix, channel), payload);
        }
      }
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error);
      if (failed) throw failed[0] as Error;

      await markEventsRelayed(
        tx,
        rows.map((row) => row.id),
        new Date(),
      );
      return rows.length;
    },
    once,
  );
}

function toJob(row: EventRow): EventJobData {
  return {
    event: toEventResource(row),
    merchant_id: row.merchantId,
    project_id: row.projectId,
    mode: row.livemode ? 'live' : 'test',
    ...(row.traceparent ? { traceparent: row.traceparent } : {}),
  };
}

function channelsOf(row: EventRow): string[] {
  return [
    ...(row.paymentId ? [realtimeChannels.payment(row.paymentId)] : []),
    // The WebSocket `merchant` channel is the project's (in its mode): another project of the
    // same merchant never hears of it.
    ...(row.projectId
      ? [realtimeChannels.project(row.projectId, row.livemode ? 'live' : 'test')]
      : []),
    ...row.userIds.map((userId) => realtimeChannels.user(userId)),
  ];
}
