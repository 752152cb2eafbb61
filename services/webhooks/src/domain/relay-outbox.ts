import {
  prefixedChannel,
  realtimeChannels,
  withTransaction,
  type Database,
  type EventQueue,
  type Redis,
} from '@expe/server-kit';
import { claimUnrelayedEvents, markRelayed } from '../db/outbox-repository.js';
import { toEventJob } from './endpoint-events.js';

export interface OutboxRelayDeps {
  db: Database;
  /** `expe-events`: this service's own fan-out to the project's endpoints. */
  fanOut: Pick<EventQueue, 'enqueueMany'>;
  /** `expe-event-log`: payments adds each event to the project's event log (`GET /v1/events`). */
  eventLog: Pick<EventQueue, 'enqueueMany'>;
  /** Publishes to pub/sub for the WebSocket; channel names are prefixed here, not by ioredis. */
  publisher: Pick<Redis, 'pipeline'>;
  keyPrefix: string;
}

/**
 * Moves one batch of committed `webhook_endpoint.*` events out of the outbox (ADR 0009): onto
 * the fan-out queue and the event-log queue (job id = event id on both, so a batch sent again
 * after a crash is not taken twice), and to the project's pub/sub channel (the WebSocket
 * `merchant` channel of the project's keys in that mode). Rows are claimed with SKIP LOCKED and
 * marked relayed only after every publish succeeded: while Redis is down nothing is marked and
 * the next tick retries. Payments being down changes nothing here.
 */
export function relayOutbox(deps: OutboxRelayDeps, batchSize: number): Promise<number> {
  return withTransaction(deps.db, async (tx) => {
    const rows = await claimUnrelayedEvents(tx, batchSize);
    if (rows.length === 0) return 0;
    const jobs = rows.map(toEventJob);
    await deps.fanOut.enqueueMany(jobs);
    await deps.eventLog.enqueueMany(jobs);

    const pipeline = deps.publisher.pipeline();
    rows.forEach((row, index) => {
      const channel = realtimeChannels.project(row.projectId, row.mode);
      pipeline.publish(
        prefixedChannel(deps.keyPrefix, channel),
        JSON.stringify(jobs[index]?.event),
      );
    });
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0] as Error;

    await markRelayed(
      tx,
      rows.map((row) => row.id),
      new Date(),
    );
    return rows.length;
  });
}
