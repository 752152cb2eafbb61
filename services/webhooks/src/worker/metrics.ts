import { metrics, type BatchObservableCallback } from '@opentelemetry/api';
import type { QueueStats } from '@expe/server-kit';

export type DeliveryOutcomeLabel = 'succeeded' | 'failed_attempt' | 'failed';

export interface WebhookMetrics {
  recordAttempt(outcome: DeliveryOutcomeLabel, latencyMs: number | null): void;
  close(): void;
}

const countsTimeoutMs = 1_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('queue counts timed out')), countsTimeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The `expe-webhooks` meter: attempts by outcome and their latency, and, read from the queues at
 * each scrape, queue depth (waiting + delayed) and the age of the oldest job ready to run.
 * Created after telemetry has started, because the metrics API has no proxy provider.
 */
export function createWebhookMetrics(
  queues: readonly { name: string; stats(): Promise<QueueStats> }[],
): WebhookMetrics {
  const meter = metrics.getMeter('expe-webhooks');
  const deliveries = meter.createCounter('webhook_deliveries', {
    description:
      'Webhook delivery attempts by outcome: succeeded, failed_attempt (a retry follows), failed (the last attempt)',
  });
  const latency = meter.createHistogram('webhook_attempt_duration_seconds', {
    unit: 's',
    description: 'Time from sending a webhook to the response status',
    advice: { explicitBucketBoundaries: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  const depth = meter.createObservableGauge('webhook_queue_depth', {
    description: 'Jobs waiting or delayed (retries) per queue',
  });
  const oldestAge = meter.createObservableGauge('webhook_queue_oldest_job_age_seconds', {
    unit: 's',
    description: 'How long the oldest job ready to run has been waiting, per queue',
  });

  const observe: BatchObservableCallback = async (observer) => {
    await Promise.all(
      queues.map(async (queue) => {
        const attributes = { queue: queue.name };
        try {
          const stats = await withTimeout(queue.stats());
          observer.observe(depth, stats.waiting + stats.delayed, attributes);
          observer.observe(
            oldestAge,
            stats.oldestReadyAt === undefined
              ? 0
              : Math.max(0, Date.now() - stats.oldestReadyAt) / 1000,
            attributes,
          );
        } catch {
          // Redis is down: report nothing rather than a misleading zero.
        }
      }),
    );
  };
  meter.addBatchObservableCallback(observe, [depth, oldestAge]);

  return {
    recordAttempt(outcome, latencyMs) {
      deliveries.add(1, { outcome });
      if (latencyMs !== null) latency.record(latencyMs / 1000, { outcome });
    },
    close() {
      meter.removeBatchObservableCallback(observe, [depth, oldestAge]);
    },
  };
}
