import type { startTelemetry } from '@expe/server-kit';
import type { ReconcileFn } from './work-queue.js';

/**
 * Per-controller reconcile metrics on the operator's /metrics, after controller-runtime's:
 * operator_reconcile_total{controller,kind,result=success|requeue|error},
 * operator_reconcile_errors_total{controller,kind} and
 * operator_reconcile_duration_seconds{controller,kind} (histogram).
 */
export function createReconcileMetrics(meter: ReturnType<typeof startTelemetry>['meter']) {
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
