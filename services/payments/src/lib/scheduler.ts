import type { Database, Logger } from '@expe/server-kit';
import { cleanUpIdempotencyKeys } from '../shared/domain/clean-up-idempotency-keys.js';
import type { Clock } from '../shared/domain/clock.js';
import { runDueWork } from './due-work.js';
import type { PaymentMetrics } from '../shared/domain/metrics.js';
import { archiveEndedSandboxes } from '../sandbox/domain/archive-ended-sandboxes.js';
import type { MerchantDirectory } from '../shared/domain/context.js';

export interface SchedulerOptions {
  db: Database;
  logger: Logger;
  metrics: PaymentMetrics;
  clock: Clock;
  /** How often it runs while the service is busy: within `activeForMs` of the last `wake()`. */
  intervalMs: number;
  /**
   * How often it runs otherwise (at least `intervalMs`): an idle service then costs one pass per
   * this long, and work that falls due without anything else happening is done this late at most.
   */
  idleIntervalMs?: number;
  /** How long after a `wake()` the scheduler keeps running every `intervalMs` (default 60 s). */
  activeForMs?: number;
  /** Most items of each kind of due work handled per tick, so one tick never runs unbounded. */
  batchSize?: number;
  idempotencyCleanupEveryMs?: number;
  /** Where ended sandboxes are found and reported; with `sandboxSweepEveryMs` (0: off). */
  merchants?: MerchantDirectory;
  sandboxSweepEveryMs?: number;
}

export interface Scheduler {
  /**
   * Something happened (an event was recorded): run every `intervalMs` again for a while, so the
   * due work it made (a pending UPI payment, a short expiry) is done on time.
   */
  wake(): void;
  /** Stops the timer and waits for the tick in progress. */
  stop(): Promise<void>;
}

/**
 * The service's background work, driven by the database rather than by timers per payment, so it
 * survives restarts and is safe with several replicas (rows are claimed with SKIP LOCKED): every
 * due work of `domain/due-work.ts` (pending UPI payments, expiry of unpaid payments and of
 * authorizations, ...), each row by its merchant's clock, every few minutes the deletion of
 * expired Idempotency-Keys (real time), and every few seconds the archive of ended sandboxes.
 * It runs every `intervalMs` while the service is busy (`wake()`, which the event relay calls),
 * and every `idleIntervalMs` once nothing has happened for `activeForMs`: an idle platform does
 * not run a pass of queries every second.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { db, logger, metrics, clock, intervalMs } = options;
  const idleIntervalMs = Math.max(intervalMs, options.idleIntervalMs ?? intervalMs);
  const activeForMs = options.activeForMs ?? 60_000;
  // Busy at start: what was left pending before a restart is done on time.
  let lastWake = Date.now();
  const batchSize = options.batchSize ?? 50;
  const cleanupEveryMs = options.idempotencyCleanupEveryMs ?? 5 * 60_000;
  let lastCleanup = Date.now();
  const sandboxSweepEveryMs = options.sandboxSweepEveryMs ?? 0;
  let lastSandboxSweep = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let isStopped = false;

  const tick = async () => {
    await runDueWork({ db, clock, metrics }, { realNow: clock.realNow() }, { limit: batchSize });
    if (Date.now() - lastCleanup >= cleanupEveryMs) {
      lastCleanup = Date.now();
      const deleted = await cleanUpIdempotencyKeys(db);
      if (deleted > 0) logger.info({ deleted }, 'expired idempotency keys deleted');
    }
    const { merchants } = options;
    if (
      merchants &&
      sandboxSweepEveryMs > 0 &&
      Date.now() - lastSandboxSweep >= sandboxSweepEveryMs
    ) {
      lastSandboxSweep = Date.now();
      const archived = await archiveEndedSandboxes({ db, clock, merchants }, batchSize);
      if (archived > 0) logger.info({ archived }, 'ended sandboxes archived');
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    if (isStopped) return;
    const isActive = Date.now() - lastWake < activeForMs;
    timer = setTimeout(
      () => {
        running = tick()
          .catch((error: unknown) => logger.warn({ err: error }, 'scheduler tick failed'))
          .finally(() => {
            running = undefined;
            schedule();
          });
      },
      isActive ? intervalMs : idleIntervalMs,
    );
    timer.unref();
  };

  if (intervalMs > 0) schedule();
  return {
    wake() {
      const wasIdle = Date.now() - lastWake >= activeForMs;
      lastWake = Date.now();
      // Asleep for the idle interval: sleep the short one instead (a tick in progress reschedules).
      if (wasIdle && intervalMs > 0 && !running && !isStopped) schedule();
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
