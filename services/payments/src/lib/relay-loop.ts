import type { Logger } from '@expe/server-kit';
import { relayEvents, type RelayDeps } from '../domain/relay-events.js';

export interface RelayLoop {
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>;
}

/**
 * Polls the outbox every `intervalMs`, and at once again while batches come back full, so a
 * burst drains quickly and an idle service costs one indexed query per interval. Failures
 * (Redis down) are logged once per outage and retried on the next tick.
 */
export function startRelayLoop(
  deps: RelayDeps & { logger: Logger; intervalMs: number },
): RelayLoop {
  const batchSize = deps.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let isStopped = false;
  let isFailing = false;

  const tick = async () => {
    try {
      let relayed = batchSize;
      while (relayed === batchSize && !isStopped)
        relayed = await relayEvents({ ...deps, batchSize });
      if (isFailing) deps.logger.info('event relay recovered');
      isFailing = false;
    } catch (error) {
      if (!isFailing)
        deps.logger.warn({ err: error }, 'event relay failed; events stay in the outbox');
      isFailing = true;
    }
  };

  const schedule = () => {
    if (isStopped) return;
    timer = setTimeout(() => {
      running = tick().finally(() => {
        running = undefined;
        schedule();
      });
    }, deps.intervalMs);
    timer.unref();
  };
  if (deps.intervalMs > 0) schedule();

  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
