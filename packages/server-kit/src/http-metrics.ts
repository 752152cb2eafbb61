import type { RequestHandler } from 'express';
import { KitHistogram, type HistogramSeries } from './kit-histograms.js';

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);
/** A probe's URL starts so; only then is the path parsed (`req.path`) to be sure. */
const probePrefix = /^\/(?:healthz|readyz|metrics)/;

/**
 * One for the process, as the SDK gave every app the same instrument of this name. The kit
 * aggregates it (`KitHistogram`): the SDK's `record` hashed the four labels as sorted JSON on
 * every request (issue 23).
 */
const duration = new KitHistogram(
  'expe-http',
  {
    name: 'http.server.request.duration',
    description: 'Duration of HTTP requests served',
    unit: 's',
  },
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);

/**
 * Records `http.server.request.duration` (exported as
 * `http_server_request_duration` (Prometheus)) for every request, labelled by service, method,
 * route template and status, whatever the module system does to auto-instrumentation. The
 * route is the Express template (`/v1/projects/:id`), never the raw path, so ids do not
 * explode the label space.
 */
export function httpMetrics(service: string): RequestHandler {
  // The series of each method, route and status, found without building a key or a label
  // object per request (no allocation once a combination has been seen).
  const byMethod = new Map<string, Map<string, Map<number, HistogramSeries>>>();
  const seriesOf = (method: string, route: string, status: number): HistogramSeries => {
    let byRoute = byMethod.get(method);
    if (!byRoute) byMethod.set(method, (byRoute = new Map<string, Map<number, HistogramSeries>>()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map<number, HistogramSeries>()));
    let series = byStatus.get(status);
    if (!series) {
      series = duration.series(`${service}\n${method}\n${route}\n${status}`, () => ({
        service,
        'http.request.method': method,
        'http.route': route,
        'http.response.status_code': status,
      }));
      byStatus.set(status, series);
    }
    return series;
  };
  return (req, res, next) => {
    if (probePrefix.test(req.url) && probePaths.has(req.path)) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route: string = routePath
        ? `${req.baseUrl}${routePath}`
        : (res.locals.routeLabel ?? 'unmatched');
      seriesOf(req.method, route, res.statusCode).record(
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}
