import { metrics, trace, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { metrics as sdkMetrics, NodeSDK, resources } from '@opentelemetry/sdk-node';
import type { RequestHandler } from 'express';
import { kitHistogramProducer } from './kit-histograms.js';

export interface Telemetry {
  meter: Meter;
  /** Whether spans are recorded and exported (an exporter is configured). */
  isTracing: boolean;
  /** Serves the Prometheus text format on the service's own port. */
  metricsHandler: RequestHandler;
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

/**
 * Whether spans go anywhere: an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or `OTEL_TRACES_EXPORTER` names an exporter.
 * `OTEL_TRACES_EXPORTER=none` turns tracing off whatever else is set.
 */
export function isTracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && name !== 'null');
  if (exporters.includes('none')) return false;
  return (
    exporters.length > 0 ||
    Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  );
}

/**
 * Starts OpenTelemetry once per process: metrics read by a Prometheus exporter that `/metrics`
 * serves, and, when an exporter is configured (`isTracingConfigured`), traces for HTTP, Express,
 * pg and ioredis exported over OTLP (`OTEL_TRACES_SAMPLER` / `_ARG` choose which; default all).
 *
 * Without an exporter there is no tracing at all (issue 23): no tracer provider (the API's
 * no-op one answers), no HTTP, Express, pg or ioredis instrumentation, so a request creates no
 * span and sends no `traceparent` on; the kit records the `db_client_*` metrics itself
 * (db-metrics.ts: a clock reading per query where the instrumentation built a span's worth of
 * objects). Log lines then carry no trace ids.
 * In a single-process run (`npm start`, tests) every service shares the first one started.
 */
export function startTelemetry(serviceName: string): Telemetry {
  if (current) return current;
  // The histograms the kit aggregates itself (kit-histograms.ts) are read with the SDK's.
  const kitHistograms = kitHistogramProducer();
  const exporter = new PrometheusExporter({
    preventServerStart: true,
    metricProducers: [kitHistograms],
  });
  const isTracing = isTracingConfigured();
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? serviceName,
    // Only what the operator sets (OTEL_RESOURCE_ATTRIBUTES): the default host and process
    // detectors put the host name, pid, command line, executable path and process owner on every
    // span and on /metrics' target_info (issue 21). Prometheus adds instance and job itself.
    resourceDetectors: [resources.envDetector],
    metricReader: exporter,
    // No span processor, no tracer provider: the SDK reads its exporters from the environment
    // otherwise, and defaults to OTLP on localhost.
    ...(isTracing ? {} : { spanProcessors: [] }),
    // The kit records http.server.request.duration itself, labelled by route template and
    // service (http-metrics.ts); the HTTP instrumentation's own copy of that family would be
    // exported under the same name with other labels.
    views: [
      {
        meterName: '@opentelemetry/instrumentation-http',
        aggregation: { type: sdkMetrics.AggregationType.DROP },
      },
    ],
    instrumentations: isTracing
      ? [
          new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => isProbe(req.url) }),
          // The route template reaches the HTTP span; no span per middleware or router layer.
          new ExpressInstrumentation({
            ignoreLayersType: [
              ExpressLayerType.MIDDLEWARE,
              ExpressLayerType.ROUTER,
              ExpressLayerType.REQUEST_HANDLER,
            ],
          }),
          new PgInstrumentation(),
          new IORedisInstrumentation(),
        ]
      : [],
  });
  sdk.start();
  current = {
    meter: metrics.getMeter('expe'),
    isTracing,
    metricsHandler: (req, res) => exporter.getMetricsRequestHandler(req, res),
    async shutdown() {
      current = undefined;
      kitHistograms.stop();
      await sdk.shutdown();
    },
  };
  return current;
}

/**
 * `/metrics` of an app: the running telemetry's Prometheus text. Building an app starts
 * nothing; `startService` (or a main) starts telemetry before it builds the app, so the
 * app's instruments bind to the real provider. Without it the answer is 503.
 */
export const serveMetrics: RequestHandler = (req, res, next) => {
  if (current) return current.metricsHandler(req, res, next);
  res.status(503).type('text/plain').send('telemetry is not started\n');
};

function isProbe(url: string | undefined): boolean {
  return url === '/healthz' || url === '/readyz' || url === '/metrics';
}

/** The trace and span ids of the active span, for log lines. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}
