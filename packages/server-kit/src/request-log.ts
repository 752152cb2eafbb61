import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';

const probePaths = new Set(['/healthz', '/readyz', '/metrics']);

export interface RequestLogOptions {
  /**
   * Level of the line for a request that did not fail on the server (2xx, 3xx, 4xx). The
   * gateway writes every request's access line at `info`; the services behind it at `debug`,
   * so a request makes one line, not one per hop. 5xx are always `error`.
   */
  level: 'info' | 'debug';
}

/**
 * One compact line per request: request id, method, path (never the query string, which can
 * carry a `client_secret`), status and duration. No headers and no bodies, so nothing secret
 * can reach the log through it; a client's mistake (4xx) is not a warning.
 *
 * A line the logger's level would drop costs nothing: the level is checked before anything is
 * built (no child logger, no serializer, no object per request), and when neither the line's
 * level nor `error` is enabled the request is not even watched (issue 23; pino-http built two
 * child loggers per request whatever the level).
 */
export function requestLog(logger: Logger, options: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('error') || probePaths.has(req.url)) return next();
    const startedAt = Date.now();
    res.once('close', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : options.level;
      if (!logger.isLevelEnabled(level)) return;
      const id = res.locals.requestId as string | undefined;
      logger[level](
        {
          reqId: id,
          req: { id, method: req.method, path: req.originalUrl.split('?')[0] },
          res: { status },
          responseTime: Date.now() - startedAt,
          // The client went away before the whole answer was sent.
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        status >= 500 ? 'request errored' : 'request completed',
      );
    });
    next();
  };
}
