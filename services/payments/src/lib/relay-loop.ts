import {
  realtimeChannels,
  startOutboxRelay,
  type Database,
  type DatabaseHandle,
  type EventQueue,
  type Logger,
  type OutboxRelay,
  type Redis,
} from '@expe/server-kit';
import { events } from '../db/schema.js';

export type RelayLoop = OutboxRelay;

/**
 * The kit's outbox relay over the payments outbox (`payments.events`, ADR 0003): merchant events
 * onto `expe-events`, every event to its project's channel and, here, to its payment's and its
 * wallet owners' channels for the WebSocket.
 */
// unscoped: the relay moves every project's events, oldest first; each keeps its own project.
export function startRelayLoop(deps: {
  db: Database;
  database: Pick<DatabaseHandle, 'listen'>;
  queue: Pick<EventQueue, 'enqueueMany'>;
  publisher: Pick<Redis, 'pipeline'>;
  keyPrefix: string;
  logger: Logger;
  intervalMs: number;
  onRelayed?: (count: number) => void;
}): RelayLoop {
  return startOutboxRelay({
    ...deps,
    table: events,
    queues: [deps.queue],
    extraChannels: (row) => [
      ...(row.paymentId ? [realtimeChannels.payment(row.paymentId)] : []),
      ...row.userIds.map((userId) => realtimeChannels.user(userId)),
    ],
  });
}
