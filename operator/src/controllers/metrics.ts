import type { startTelemetry } from '@expe/server-kit';
import type { ReconcileFn, WorkQueue } from './work-queue.js';

type Meter = ReturnType<typeof startTelemetry>['meter'];
interface Observation {
  observe(value: number, labels: Record<string, string>): void;
}

/**
 * Per-controller reconcile metrics on the operator's /metrics, after controller-runtime's:
 * operator_reconcile_total{controller,kind,result=success|requeue|error},
 * operator_reconcile_errors_total{controller,kind} and
 * operator_reconcile_duration_seconds{controller,kind} (histogram).
 */
export function createReconcileMetrics(meter: Meter) {
  const total = meter.createCounter('operator_reconcile_total', {
    description: 'Reconciles per controller and result (success, requeue, error)',
  });
  const errors = meter.createCounter('operator_reconcile_errors_total', {
    description: 'Reconciles that failed and were retried with backoff',
  });
  const duration = meter.createHistogram('operator_reconcile_duration_seconds', {
    unit: 's',
    description: 'Time one reconcile took',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  return {
    /** The reconcile function, counted and timed. */
    instrument(controller: string, kind: string, reconcile: ReconcileFn): ReconcileFn {
      const labels = { controller, kind };
      return async (key) => {
        const started = process.hrtime.bigint();
        try {
          const result = await reconcile(key);
          total.add(1, {
            ...labels,
            result: result?.requeueAfterMs === undefined ? 'success' : 'requeue',
          });
          return result;
        } catch (error) {
          total.add(1, { ...labels, result: 'error' });
          errors.add(1, labels);
          throw error;
        } finally {
          duration.record(Number(process.hrtime.bigint() - started) / 1e9, labels);
        }
      };
    },
  };
}

/**
 * The work queues of one leadership term, after client-go's workqueue metrics:
 * operator_workqueue_depth{controller} (keys waiting) and operator_workqueue_retries{controller}
 * (keys waiting for a retry after a failure). Returns the function that stops observing them.
 */
export function observeWorkQueues(meter: Meter, queues: Record<string, WorkQueue>): () => void {
  const depth = meter.createObservableGauge('operator_workqueue_depth', {
    description: 'Keys waiting in a controller work queue',
  });
  const retries = meter.createObservableGauge('operator_workqueue_retries', {
    description: 'Keys whose last reconcile failed, waiting for their retry with backoff',
  });
  const observeDepth = (result: Observation) => {
    for (const [controller, queue] of Object.entries(queues)) {
      result.observe(queue.depth(), { controller });
    }
  };
  const observeRetries = (result: Observation) => {
    for (const [controller, queue] of Object.entries(queues)) {
      result.observe(queue.retrying(), { controller });
    }
  };
  depth.addCallback(observeDepth);
  retries.addCallback(observeRetries);
  return () => {
    depth.removeCallback(observeDepth);
    retries.removeCallback(observeRetries);
  };
}

/**
 * operator_leader{lease}: 1 while this replica holds the Lease, else 0 (controller-runtime's
 * leader_election_master_status). Returns the function that stops observing it.
 */
export function observeLeadership(meter: Meter, lease: string, isLeader: () => boolean) {
  const gauge = meter.createObservableGauge('operator_leader', {
    description: 'Whether this replica holds the leader-election Lease (1) or not (0)',
  });
  const observe = (result: Observation) => {
    result.observe(isLeader() ? 1 : 0, { lease });
  };
  gauge.addCallback(observe);
  return () => gauge.removeCallback(observe);
}
