import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorObject } from '@expe/contracts';
import { AppError } from './errors.js';
import type { Logger } from './logger.js';

export function renderError(error: AppError, requestId: string | undefined): ErrorObject {
  return {
    error: {
      type: error.type,
      code: error.code,
      ...(error.declineCode ? { decline_code: error.declineCode } : {}),
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
      ...error.fields,
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

/** Converts what body-parser and friends throw into AppErrors with the right status. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const candidate = error as { type?: string; status?: number; statusCode?: number };
  if (candidate?.type === 'entity.too.large') {
    return AppError.of('request_too_large', 'Request body is too large');
  }
  if (candidate?.type === 'entity.parse.failed') {
    return AppError.of('invalid_json', 'Request body is not valid JSON');
  }
  // The router could not decode a path parameter (`%ED%A0%80`, `%zz`): no resource has that id.
  if (error instanceof URIError) {
    return AppError.of('route_not_found', 'Unrecognized request URL: malformed percent-encoding');
  }
  if (candidate?.type === 'encoding.unsupported') {
    return AppError.of('parameter_invalid', 'Unsupported request encoding', {
      param: 'Content-Encoding',
    });
  }
  if (candidate?.type === 'charset.unsupported') {
    return AppError.of('parameter_invalid', 'Unsupported request charset', {
      param: 'Content-Type',
    });
  }
  // zlib refusing a body that is not what its Content-Encoding says (Z_DATA_ERROR, Z_BUF_ERROR):
  // the client's mistake, not ours.
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('Z_') && candidate.status === 400) {
    return AppError.of(
      'parameter_invalid',
      'Request body is not encoded as its Content-Encoding header says',
      { param: 'Content-Encoding' },
    );
  }
  return undefined;
}

/** The one error middleware: renders the API error object, logs unknown errors with stack. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    const appError = toAppError(error);
    if (!appError) {
      logger.error(
        { err: error, requestId, method: req.method, path: req.path },
        'unhandled error',
      );
    }
    const rendered = appError ?? AppError.of('internal_error', 'An internal error occurred');
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(rendered.headers ?? {})) res.setHeader(name, value);
    // Every 503 says when to come back, so clients back off instead of hammering.
    if (rendered.httpStatus === 503 && !res.hasHeader('Retry-After'))
      res.setHeader('Retry-After', '1');
    res.status(rendered.httpStatus).json(renderError(rendered, requestId));
  };
}

export const notFoundHandler: RequestHandler = (req) => {
  throw AppError.of('route_not_found', `Unrecognized request URL (${req.method}: ${req.path})`);
};
