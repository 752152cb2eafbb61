import { startOutboxRelay, type Logger, type OutboxRelay } from '@expe/server-kit';
import { relayEvents, type RelayDeps } from '../events/domain/relay-events.js';

export type RelayLoop = OutboxRelay;

/** The kit's outbox relay loop over the payments outbox (`payments.events`, ADR 0003). */
export function startRelayLoop(
  deps: RelayDeps & { logger: Logger; intervalMs: number },
): RelayLoop {
  return startOutboxRelay({
    relayBatch: (batchSize) => relayEvents({ ...deps, batchSize }),
    logger: deps.logger,
    intervalMs: deps.intervalMs,
    batchSize: deps.batchSize,
  });
}
