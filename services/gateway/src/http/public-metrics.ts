import type { RequestHandler, Response } from 'express';
import { serveMetrics } from '@expe/server-kit';

/**
 * The resource attributes the gateway's public `/metrics` keeps on `target_info`: which service
 * and which telemetry SDK. OpenTelemetry's process and host detectors add the host name, pid,
 * command line, executable path and process owner; anyone who reaches the gateway could read
 * them, and Prometheus labels a target with its own `instance` and `job` anyway.
 */
const publicTargetLabels = new Set([
  'service_name',
  'service_namespace',
  'service_version',
  'telemetry_sdk_language',
  'telemetry_sdk_name',
  'telemetry_sdk_version',
]);

const labelPair = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The Prometheus text with `target_info` reduced to its public labels. */
export function withPublicTargetInfo(text: string): string {
  return text.replace(
    /^target_info\{(.*)\}(.*)$/gm,
    (_line, labels: string, rest: string) =>
      `target_info{${[...labels.matchAll(labelPair)]
        .filter(([, name]) => publicTargetLabels.has(name ?? ''))
        .map(([pair]) => pair)
        .join(',')}}${rest}`,
  );
}

/** `/metrics` of the gateway: the kit's exporter, its answer passed through withPublicTargetInfo. */
export const servePublicMetrics: RequestHandler = (req, res, next) => {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((chunk?: unknown, ...rest: unknown[]) =>
    end(
      typeof chunk === 'string'
        ? withPublicTargetInfo(chunk)
        : Buffer.isBuffer(chunk)
          ? withPublicTargetInfo(chunk.toString('utf8'))
          : chunk,
      ...rest,
    )) as Response['end'];
  serveMetrics(req, res, next);
};
