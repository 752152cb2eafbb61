import type { Logger } from './logger.js';

export interface OutboxRelay {
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>;
}

export interface OutboxRelayOptions {
  /**
   * Publishes one batch of committed outbox rows and marks them relayed, in one transaction
   * that claims them `FOR UPDATE SKIP LOCKED` (replicas share the work); returns how many.
   * Throws, marking nothing, when a publish fails: the rows stay and the next tick retries.
   */
  relayBatch(batchSize: number): Promise<number>;
  logger: Logger;
  /** 0 turns the relay off (tests that drive `relayBatch` themselves). */
  intervalMs: number;
  batchSize?: number;
}

/**
 * The outbox relay loop every service that emits events runs (ADR 0003, ADR 0009): polls every
 * `intervalMs`, and at once again while batches come back full, so a burst drains quickly and
 * an idle service costs one indexed query per interval. Failures (Redis down) are logged once
 * per outage and retried on the next tick: an event is late, never lost.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let isStopped = false;
  let isFailing = false;

  const tick = async () => {
    try {
      let relayed = batchSize;
      while (relayed === batchSize && !isStopped) relayed = await options.relayBatch(batchSize);
      if (isFailing) options.logger.info('event relay recovered');
      isFailing = false;
    } catch (error) {
      if (!isFailing)
        options.logger.warn({ err: error }, 'event relay failed; events stay in the outbox');
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
    }, options.intervalMs);
    timer.unref();
  };
  if (options.intervalMs > 0) schedule();

  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
