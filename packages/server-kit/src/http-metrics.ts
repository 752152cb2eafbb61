import { metrics } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);
/** A probe's URL starts so; only then is the path parsed (`req.path`) to be sure. */
const probePrefix = /^\/(?:healthz|readyz|metrics)/;

/**
 * Records `http.server.request.duration` (exported as
 * `http_server_request_duration` (Prometheus)) for every request, labelled by service, method,
 * route template and status, whatever the module system does to auto-instrumentation. The
 * route is the Express template (`/v1/projects/:id`), never the raw path, so ids do not
 * explode the label space.
 */
export function httpMetrics(service: string): RequestHandler {
  const duration = metrics.getMeter('expe-http').createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP requests served',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] },
  });
  return (req, res, next) => {
    if (probePrefix.test(req.url) && probePaths.has(req.path)) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      duration.record(Number(process.hrtime.bigint() - started) / 1e9, {
        service,
        'http.request.method': req.method,
        'http.route': routePath
          ? `${req.baseUrl}${routePath}`
          : (res.locals.routeLabel ?? 'unmatched'),
        'http.response.status_code': res.statusCode,
      });
    });
    next();
  };
}
