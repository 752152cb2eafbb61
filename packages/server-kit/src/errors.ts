import { errorCodes, isErrorCode, type ErrorType } from '@expe/contracts';

export interface AppErrorOptions {
  param?: string;
  cause?: unknown;
  /** Overrides the type that the code implies (rarely needed). */
  type?: ErrorType;
  /** Extra response headers, such as Retry-After. */
  headers?: Record<string, string>;
  /** Why a card or bank declined (card_error, upi_error), rendered as `decline_code`. */
  declineCode?: string | undefined;
  /** Further members of the error object, rendered after `param`: the payment a declined attempt left. */
  fields?: Record<string, unknown>;
}

/**
 * The one error type the services throw on purpose. The error middleware renders it as the
 * API's error object; anything else becomes a 500 with the details hidden.
 */
export class AppError extends Error {
  readonly type: ErrorType;
  readonly param: string | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly declineCode: string | undefined;
  readonly fields: Record<string, unknown> | undefined;

  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.param = options.param;
    this.headers = options.headers;
    this.declineCode = options.declineCode;
    this.fields = options.fields;
    this.type =
      options.type ?? (isErrorCode(code) ? errorCodes[code].type : typeForStatus(httpStatus));
  }

  /** Shorthand for a known code: its status and type come from the contracts table. */
  static of(code: keyof typeof errorCodes, message: string, options: AppErrorOptions = {}) {
    return new AppError(code, errorCodes[code].status, message, options);
  }
}

function typeForStatus(status: number): ErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export const notFound = (what: string, id: string, param = 'id') =>
  AppError.of('resource_missing', `No such ${what}: '${id}'`, { param });
