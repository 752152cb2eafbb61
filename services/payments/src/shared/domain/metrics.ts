import { metrics, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';
import type { PaymentRow } from '../../payments/db/payment-repository.js';

/** Business metrics, served on /metrics by the server kit's Prometheus exporter. */
export interface PaymentMetrics {
  /** Creates the instruments; call once OpenTelemetry is started (the gauges exist from then on). */
  start(): void;
  paymentCreated(payment: PaymentRow): void;
  paymentSucceeded(payment: PaymentRow): void;
  paymentFailed(payment: PaymentRow, code: string): void;
  refundSucceeded(refund: { amount: number; currency: string; mode: string }): void;
  transferCompleted(transfer: { amount: number; currency: string }): void;
  topupSucceeded(topup: { amount: number; currency: string }): void;
  reconciliationFinished(report: { ok: boolean; checks: { mismatches: unknown[] }[] }): void;
}

interface Instruments {
  created: Counter;
  succeeded: Counter;
  failed: Counter;
  amount: Histogram;
  refunds: Counter;
  refundedAmount: Counter;
  transfers: Counter;
  transferredAmount: Counter;
  topups: Counter;
  toppedUpAmount: Counter;
  reconciliations: Counter;
}

/**
 * Instruments are made on first use: the OpenTelemetry SDK (started by the server kit when the
 * app is built) must be registered before a meter is taken, or the meter would be a no-op.
 */
export function createPaymentMetrics(): PaymentMetrics {
  let instruments: Instruments | undefined;
  let lastReconciliation: { ok: boolean; mismatches: number } | undefined;

  const get = (): Instruments => {
    if (instruments) return instruments;
    const meter = metrics.getMeter('expe-payments');
    const counter = (name: string, description: string, unit?: string) =>
      meter.createCounter(name, { description, ...(unit ? { unit } : {}) });
    instruments = {
      created: counter('payments_created', 'payments created'),
      succeeded: counter('payments_succeeded', 'payments that succeeded'),
      failed: counter('payments_failed', 'failed payment attempts'),
      amount: meter.createHistogram('payments_succeeded_amount', {
        description: 'amounts of succeeded payments, in minor units',
        unit: '{minor_unit}',
        advice: {
          explicitBucketBoundaries: [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000],
        },
      }),
      refunds: counter('refunds_succeeded', 'refunds'),
      refundedAmount: counter('refunds_amount', 'refunded amount, in minor units', '{minor_unit}'),
      transfers: counter('wallet_transfers_completed', 'P2P wallet transfers'),
      transferredAmount: counter(
        'wallet_transfers_amount',
        'amount moved by P2P transfers, in minor units',
        '{minor_unit}',
      ),
      topups: counter('wallet_topups_succeeded', 'wallet top-ups'),
      toppedUpAmount: counter(
        'wallet_topups_amount',
        'amount added by top-ups, in minor units',
        '{minor_unit}',
      ),
      reconciliations: counter(
        'ledger_reconciliation_runs',
        'reconciliation runs by result: ok (every invariant holds) or mismatch',
      ),
    };
    meter
      .createObservableGauge('ledger_reconciliation_ok', {
        description: 'result of the last reconciliation: 1 clean, 0 mismatches found',
      })
      .addCallback((result) => {
        if (lastReconciliation) result.observe(lastReconciliation.ok ? 1 : 0);
      });
    meter
      .createObservableGauge('ledger_reconciliation_mismatches', {
        description: 'mismatches found by the last reconciliation',
      })
      .addCallback((result) => {
        if (lastReconciliation) result.observe(lastReconciliation.mismatches);
      });
    return instruments;
  };

  const paymentAttributes = (payment: PaymentRow): Attributes => ({
    method: payment.method ?? 'none',
    currency: payment.currency,
    mode: payment.mode,
  });

  return {
    start() {
      get();
    },
    paymentCreated(payment) {
      get().created.add(1, { currency: payment.currency, mode: payment.mode });
    },
    paymentSucceeded(payment) {
      get().succeeded.add(1, paymentAttributes(payment));
      get().amount.record(payment.amount, paymentAttributes(payment));
    },
    paymentFailed(payment, code) {
      get().failed.add(1, { ...paymentAttributes(payment), code });
    },
    refundSucceeded(refund) {
      const attributes = { currency: refund.currency, mode: refund.mode };
      get().refunds.add(1, attributes);
      get().refundedAmount.add(refund.amount, attributes);
    },
    transferCompleted(transfer) {
      get().transfers.add(1, { currency: transfer.currency });
      get().transferredAmount.add(transfer.amount, { currency: transfer.currency });
    },
    topupSucceeded(topup) {
      get().topups.add(1, { currency: topup.currency });
      get().toppedUpAmount.add(topup.amount, { currency: topup.currency });
    },
    reconciliationFinished(report) {
      get().reconciliations.add(1, { result: report.ok ? 'ok' : 'mismatch' });
      lastReconciliation = {
        ok: report.ok,
        mismatches: report.checks.reduce((sum, check) => sum + check.mismatches.length, 0),
      };
    },
  };
}
