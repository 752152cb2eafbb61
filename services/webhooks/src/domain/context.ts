import type { Executor, Logger } from '@expe/server-kit';
import type { WebhooksConfig } from '../config.js';
import type { SecretBox } from './secret-box.js';
import type { ResolveHost } from './url-guard.js';

/** A delivery to hand to the queue: the job id makes a second hand-over a no-op. */
export interface DeliveryJob {
  deliveryId: string;
  jobId: string;
  traceparent?: string | undefined;
  /** When the attempt is due; now when absent. */
  dueAt?: Date;
}

export interface DeliveryScheduler {
  /** Queues each job unless a job with its id exists. */
  schedule(jobs: readonly DeliveryJob[]): Promise<void>;
  /** Queues each job again unless its job is waiting, delayed or running. */
  reschedule(jobs: readonly DeliveryJob[]): Promise<void>;
}

/** What the use cases need; built once per process in app.ts. */
export interface WebhooksContext {
  db: Executor;
  config: WebhooksConfig;
  logger: Logger;
  secretBox: SecretBox;
  resolveHost: ResolveHost;
  scheduler: DeliveryScheduler;
}
