import { metrics, trace, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { metrics as sdkMetrics, NodeSDK, resources, tracing } from '@opentelemetry/sdk-node';
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
    // Only what the operator sets (OTEL_RESOURCE_ATTRIBUTES): the default host and process
    // detectors put the host name, pid, command line, executable path and process owner on every
    // span and on /metrics' target_info (issue 21). Prometheus adds instance and job itself.
    resourceDetectors: [resources.envDetector],
    metricReader: exporter,
    // Without an exporter nothing is recorded: spans are sampled out at the root, which still
    // gives every request a trace id (logs carry it, and it propagates to the next hop) for the
    // cost of an id. With an exporter, OTEL_TRACES_SAMPLER / _ARG choose (default: all).
    ...(exportsSpans
      ? {}
      : {
          sampler: new tracing.ParentBasedSampler({ root: new tracing.AlwaysOffSampler() }),
          spanProcessors: [new tracing.NoopSpanProcessor()],
        }),
    // The kit records http.server.request.duration itself, labelled by route template and
    // service (http-metrics.ts); the HTTP instrumentation's own copy of that family would be
    // exported under the same name with other labels.
    views: [
      {
        meterName: '@opentelemetry/instrumentation-http',
        aggregation: { type: sdkMetrics.AggregationType.DROP },
      },
    ],
    instrumentations: [
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
