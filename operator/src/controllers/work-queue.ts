export interface ReconcileResult {
  /** Run again after this long even without a change (for example: waiting on another object). */
  requeueAfterMs?: number;
}

export type ReconcileFn = (key: string) => Promise<ReconcileResult | void>;

export interface WorkQueueOptions {
  /** First retry delay after a failure; doubles per consecutive failure of the key. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How many different keys are reconciled at the same time. */
  concurrency?: number;
  onError?: (key: string, error: unknown, attempt: number) => void;
}

/**
 * A per-object work queue in the manner of client-go's: a key waits at most once, one key is
 * never processed by two workers at the same time (an add during processing runs it again
 * afterwards), and a failing key is retried with exponential backoff until it succeeds.
 */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly order: string[] = [];
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private running = 0;
  private stopped = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly reconcile: ReconcileFn,
    private readonly options: WorkQueueOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.clearTimer(key);
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.order.push(key);
    this.pump();
  }

  /** Adds the key after a delay; an earlier add wins, a later addAfter replaces the timer. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    this.clearTimer(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Keys waiting to be reconciled (not those in progress or waiting on a timer). */
  depth(): number {
    return this.order.length;
  }

  /** Keys whose last reconcile failed and that wait for their retry. */
  retrying(): number {
    return this.failures.size;
  }

  /** Consecutive failures of the key so far (0 after a success). */
  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  backoffFor(attempt: number): number {
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  }

  /** Drops waiting work and timers; resolves once the reconciles in flight have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
    this.order.length = 0;
    this.dirty.clear();
    await this.idle();
  }

  /** Resolves when nothing is waiting or running (timers do not count). */
  idle(): Promise<void> {
    if (this.running === 0 && this.order.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private clearTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.order.length > 0) {
      const key = this.order.shift() as string;
      this.pending.delete(key);
      this.active.add(key);
      this.running++;
      void this.process(key);
    }
    if (this.running === 0 && this.order.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async process(key: string): Promise<void> {
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const attempt = this.failuresOf(key) + 1;
      this.failures.set(key, attempt);
      this.options.onError?.(key, error, attempt);
      this.addAfter(key, this.backoffFor(attempt));
    } finally {
      this.active.delete(key);
      this.running--;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}
