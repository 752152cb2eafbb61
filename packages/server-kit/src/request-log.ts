import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger.js';

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);

export interface RequestLogOptions {
  /**
   * Level of the line for a request that did not fail on the server (2xx, 3xx, 4xx). The
   * gateway writes every request's access line at `info`; the services behind it at `debug`,
   * so a request makes one line, not one per hop. 5xx and thrown errors are always `error`.
   */
  level: 'info' | 'debug';
}

/**
 * One compact line per request: request id, method, path (never the query string, which can
 * carry a `client_secret`), status and duration. No headers and no bodies, so nothing secret
 * can reach the log through it; a client's mistake (4xx) is not a warning.
 */
export function requestLog(logger: Logger, options: RequestLogOptions): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (_req, res) => (res as unknown as Response).locals.requestId,
    autoLogging: { ignore: (req) => probePaths.has(req.url ?? '') },
    // No per-request child logger: nothing downstream logs through req.log.
    quietReqLogger: true,
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : options.level,
    serializers: {
      req: (req: IncomingMessage & { id?: string }) => ({
        id: req.id,
        method: req.method,
        path: (req.url ?? '').split('?')[0],
      }),
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
    wrapSerializers: false,
  });
}
