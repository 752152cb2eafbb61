import { metrics, trace, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import type { RequestHandler } from 'express';

export interface Telemetry {
  meter: Meter;
  /** Serves the Prometheus text format on the service's own port. */
  metricsHandler: RequestHandler;
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

/**
 * Starts OpenTelemetry once per process: traces for HTTP, Express, pg and ioredis, and metrics
 * read by a Prometheus exporter that `/metrics` serves. Spans are exported over OTLP only when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set; without it they still give log lines their trace ids.
 * In a single-process run (`npm start`, tests) every service shares the first one started.
 */
export function startTelemetry(serviceName: string): Telemetry {
  if (current) return current;
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const exportsSpans = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? serviceName,
    metricReader: exporter,
    // Without an exporter, spans are still recorded (so logs carry real trace ids) and dropped.
    ...(exportsSpans ? {} : { spanProcessors: [new tracing.NoopSpanProcessor()] }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => isProbe(req.url) }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  current = {
    meter: metrics.getMeter('expe'),
    metricsHandler: (req, res) => exporter.getMetricsRequestHandler(req, res),
    async shutdown() {
      current = undefined;
      await sdk.shutdown();
    },
  };
  return current;
}

function isProbe(url: string | undefined): boolean {
  return url === '/healthz' || url === '/readyz' || url === '/metrics';
}

/** The trace and span ids of the active span, for log lines. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}
