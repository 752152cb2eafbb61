import {
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import type { WebhooksConfig } from '../config.js';
import {
  attemptDelivery,
  type AttemptDeps,
  type AttemptOutcome,
} from '../domain/attempt-delivery.js';
import { fanOutEvent } from '../domain/fan-out-event.js';
import { requeueOverdueDeliveries } from '../domain/requeue-overdue-deliveries.js';
import {
  infrastructurePolicy,
  openJobQueues,
  UnrecoverableError,
  type JobWorker,
  type QueueJob,
} from '@expe/server-kit';
import {
  deliveriesQueueName,
  eventsQueueName,
  type DeliveryJobData,
  type DeliveryQueue,
  type EventJobData,
} from '../queue.js';
import { createWebhookMetrics } from './metrics.js';

export interface WebhookWorker {
  /** Stops taking jobs, lets attempts in flight finish (bounded), then closes. */
  close(): Promise<void>;
}

export interface WorkerDeps extends AttemptDeps {
  config: WebhooksConfig;
  deliveryQueue: DeliveryQueue;
}

const tracer = trace.getTracer('expe-webhooks');

/** A job that stalled this many times (its worker died each time) is given up as failed. */
const maxStalledCount = 10;
/** How often, and how late, the sweep looks for pending deliveries that lost their job. */
const sweepIntervalMs = 60_000;
const sweepGraceMs = 5 * 60_000;

function parentContext(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * Runs `work` in an active span that continues the job's trace; a throw is recorded on the span
 * (and rethrown), and the span ends either way.
 */
function inSpan<T>(
  name: string,
  options: SpanOptions,
  traceparent: string | undefined,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, parentContext(traceparent), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

function traceparentOf(ctx: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/**
 * The delivery worker: consumes `expe-events` (fan-out) and `expe-deliveries` (one attempt per
 * job run). A worker that dies mid-job stops renewing the job's lock; after
 * WORKER_LOCK_DURATION_MS another worker's stalled check puts the job back, so a crash means a
 * repeated delivery, never a lost one.
 */
export function startWebhookWorker(deps: WorkerDeps): WebhookWorker {
  const { config, logger } = deps;
  const queues = openJobQueues(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  const onFailed = (queue: string) => (job: QueueJob<unknown> | undefined, error: Error) =>
    logger.error(
      { err: error, queue, jobId: job?.id, attemptsMade: job?.attemptsMade },
      'job failed',
    );
  const workerOptions = {
    concurrency: config.WORKER_CONCURRENCY,
    logger,
    lockDurationMs: config.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount,
  };

  const eventsWorker = queues.worker<EventJobData>(eventsQueueName, {
    ...workerOptions,
    onFailed: onFailed(eventsQueueName),
    handle: (job) =>
      inSpan(
        'webhook fan-out',
        { kind: SpanKind.CONSUMER, attributes: { 'expe.event_id': job.data.event.id } },
        job.data.traceparent,
        async (span) => {
          assertHasProject(job.data);
          const jobs = await fanOutEvent(deps.db, job.data, config.WEBHOOK_CHAOS_SEED);
          const traceparent = traceparentOf(otelContext.active()) ?? job.data.traceparent;
          await deps.deliveryQueue.schedule(jobs.map((entry) => ({ ...entry, traceparent })));
          span.setAttribute('expe.deliveries', jobs.length);
        },
      ),
  });

  // The fan-out queue's depth is read through a producer of it, like the deliveries'.
  const eventsQueue = queues.producer<EventJobData>(eventsQueueName, infrastructurePolicy);
  const webhookMetrics = createWebhookMetrics([eventsQueue, deps.deliveryQueue]);

  const attempt = (job: QueueJob<DeliveryJobData>): Promise<AttemptOutcome> =>
    inSpan(
      'webhook delivery attempt',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'expe.delivery_id': job.data.delivery_id, 'messaging.message.id': job.id },
      },
      job.data.traceparent,
      async (span) => {
        const spanContext = span.spanContext();
        const outcome = await attemptDelivery(deps, job.data.delivery_id, {
          traceId: trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined,
        });
        span.setAttribute(
          'expe.outcome',
          outcome.kind === 'attempted' ? outcome.attempt.outcome : outcome.kind,
        );
        if (outcome.kind === 'attempted') {
          const { attempt: row } = outcome;
          webhookMetrics.recordAttempt(row.outcome, row.latencyMs);
          if (row.statusCode !== null)
            span.setAttribute('http.response.status_code', row.statusCode);
          if (row.outcome !== 'succeeded')
            span.setStatus({ code: SpanStatusCode.ERROR, message: row.error ?? '' });
        }
        return outcome;
      },
    );

  const deliveriesWorker = queues.worker<DeliveryJobData>(deliveriesQueueName, {
    ...workerOptions,
    onFailed: onFailed(deliveriesQueueName),
    async handle(job) {
      const outcome = await attempt(job);
      // The same job waits for its next attempt: PostgreSQL keeps the schedule, the queue the timer.
      if (outcome.kind === 'attempted' && outcome.retryAt) return { retryAt: outcome.retryAt };
    },
  });

  const sweep = () => {
    requeueOverdueDeliveries(deps, { now: new Date(), graceMs: sweepGraceMs, limit: 500 }).catch(
      (error: unknown) => logger.warn({ err: error }, 'sweep for overdue deliveries failed'),
    );
  };
  const sweeper = setInterval(sweep, sweepIntervalMs);
  sweeper.unref();

  logger.info(
    { concurrency: config.WORKER_CONCURRENCY, queues: [eventsQueueName, deliveriesQueueName] },
    'webhook worker started',
  );

  return {
    async close() {
      clearInterval(sweeper);
      webhookMetrics.close();
      const workers: JobWorker[] = [eventsWorker, deliveriesWorker];
      // Attempts end within DELIVERY_TIMEOUT_MS; past the shutdown budget, stop anyway: the
      // unfinished jobs' locks expire and another worker runs them again.
      let timer: NodeJS.Timeout | undefined;
      const budget = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.SHUTDOWN_TIMEOUT_MS);
      });
      const closed = Promise.all(workers.map((worker) => worker.close()));
      if ((await Promise.race([closed, budget])) === 'timeout') {
        logger.warn('attempts still in flight at the shutdown deadline; their jobs will rerun');
        await Promise.all(workers.map((worker) => worker.close({ force: true })));
      }
      clearTimeout(timer);
      await eventsQueue.close();
    },
  };
}

/**
 * A merchant's event without a project was queued by a relay older than projects (issue 19):
 * which project's endpoints it is for cannot be known here, so it fails at once (kept in the
 * failed set, `removeOnFail`) instead of being retried or sent to the wrong project.
 */
function assertHasProject(data: EventJobData): void {
  if (data.merchant_id !== null && data.project_id == null) {
    throw new UnrecoverableError(
      `event ${data.event.id} has a merchant but no project_id; not fanned out to any project`,
    );
  }
}
