/** The `type` of an API error object. */
export type ExpeErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'card_error'
  | 'upi_error'
  | 'api_error';

/**
 * An API error object (`{error: {type, code, message, param?, request_id}}`) as an exception.
 * Subclasses per `type` let callers branch with `instanceof`; `code` is the stable detail.
 */
export class ExpeApiError extends Error {
  constructor(
    /** HTTP status (0 when no response arrived: see ExpeConnectionError). */
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | undefined,
    readonly requestId: string | undefined,
    /** The decoded response body, when there was one. */
    readonly raw?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ExpeInvalidRequestError extends ExpeApiError {}
export class ExpeAuthenticationError extends ExpeApiError {}
export class ExpePermissionError extends ExpeApiError {}
export class ExpeIdempotencyError extends ExpeApiError {}
export class ExpeRateLimitError extends ExpeApiError {}
export class ExpeCardError extends ExpeApiError {}
/** `upi_error`: the payer's bank or UPI app refused a UPI payment (402). */
export class ExpeUpiError extends ExpeApiError {}
/** `api_error`: something went wrong on Expe's side (5xx). */
export class ExpeServerError extends ExpeApiError {}
/** No answer: the network failed or the request timed out (after every retry). */
export class ExpeConnectionError extends ExpeApiError {
  constructor(message: string, cause?: unknown) {
    super(0, 'api_connection_error', 'connection_failed', message, undefined, undefined);
    if (cause !== undefined) this.cause = cause;
  }
}

const classes: Record<string, typeof ExpeApiError> = {
  invalid_request_error: ExpeInvalidRequestError,
  authentication_error: ExpeAuthenticationError,
  permission_error: ExpePermissionError,
  idempotency_error: ExpeIdempotencyError,
  rate_limit_error: ExpeRateLimitError,
  card_error: ExpeCardError,
  upi_error: ExpeUpiError,
  api_error: ExpeServerError,
};

/** The exception for an error response. */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestIdHeader: string | null,
): ExpeApiError {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const type = text(error?.type) ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  const Class = classes[type] ?? ExpeApiError;
  return new Class(
    status,
    type,
    text(error?.code) ?? 'unknown',
    text(error?.message) ?? `HTTP ${status}`,
    text(error?.param),
    text(error?.request_id) ?? requestIdHeader ?? undefined,
    body,
  );
}
