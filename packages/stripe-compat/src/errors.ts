/**
 * Stripe's error object and statuses. The official SDKs pick their error class from the HTTP
 * status (401 → StripeAuthenticationError, 403 → StripePermissionError, 429 →
 * StripeRateLimitError) and otherwise from `type` (`card_error` → StripeCardError,
 * `invalid_request_error` → StripeInvalidRequestError, `idempotency_error` →
 * StripeIdempotencyError, `api_error` → StripeAPIError).
 */
export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'rate_limit_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  code?: string;
  decline_code?: string;
  message: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  payment_intent?: unknown;
  charge?: string;
}

const docBase = 'https://docs.stripe.com/error-codes';

/** The one error the Stripe layer throws on purpose; rendered as `{error: {...}}`. */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'StripeError';
  }

  static invalid(code: string, message: string, param?: string): StripeError {
    return new StripeError(400, {
      type: 'invalid_request_error',
      code,
      message,
      ...(param ? { param } : {}),
      doc_url: `${docBase}#${code.replaceAll('_', '-')}`,
    });
  }

  static missing(param: string): StripeError {
    return StripeError.invalid('parameter_missing', `Missing required param: ${param}.`, param);
  }

  static unknownParameter(param: string, supported: readonly string[]): StripeError {
    const known = supported.length ? ` Expe supports: ${supported.join(', ')}.` : '';
    return StripeError.invalid(
      'parameter_unknown',
      `Received unknown parameter: ${param}.${known} See docs/stripe-compatibility.md.`,
      param,
    );
  }

  static notSupported(param: string, note?: string): StripeError {
    return StripeError.invalid(
      'parameter_unknown',
      `Received unknown parameter: ${param}. Expe's Stripe-compatible endpoint does not support it${note ? ` (${note})` : ''}; see docs/stripe-compatibility.md.`,
      param,
    );
  }

  static resourceMissing(what: string, id: string, param = 'id'): StripeError {
    return new StripeError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${what}: '${id}'`,
      param,
      doc_url: `${docBase}#resource-missing`,
    });
  }
}

/** Stripe's status for an error Expe answered with `status` and `code`. */
export function stripeStatusOf(expeStatus: number, code: string | undefined): number {
  // Expe answers a reused idempotency key with another body 422; Stripe answers 400.
  if (code === 'idempotency_key_reused') return 400;
  if (expeStatus === 413) return 400;
  return expeStatus;
}

/** Stripe's error code for Expe's, where they differ. */
const codeMap: Record<string, string> = {
  invalid_api_key: 'api_key_invalid',
  expired_api_key: 'api_key_expired',
  payment_unexpected_state: 'payment_intent_unexpected_state',
  rate_limited: 'rate_limit',
  idempotency_key_reused: 'idempotency_key_in_use',
  balance_insufficient: 'balance_insufficient',
};

/**
 * Stripe's decline codes (docs.stripe.com/declines/codes): a declined card is `code:
 * card_declined` with one of these as `decline_code`, where Expe may name the reason as the code.
 */
const declineCodes = new Set([
  'generic_decline',
  'insufficient_funds',
  'lost_card',
  'stolen_card',
  'fraudulent',
  'do_not_honor',
  'card_velocity_exceeded',
  'live_mode_test_card',
  'pickup_card',
  'restricted_card',
  'transaction_not_allowed',
  'try_again_later',
]);

/**
 * A card failure's `code` and `decline_code` as Stripe gives them: a decline is `card_declined`
 * with its reason (`generic_decline` when none is known); an off-session payment that needs 3-D
 * Secure is `authentication_required`; anything else (`processing_error`, `expired_card`,
 * `incorrect_cvc`) is its own code without a decline code.
 */
export function stripeCardFailure(code: string | undefined, declineCode: string | undefined) {
  if (code && declineCodes.has(code)) return { code: 'card_declined', decline_code: code };
  if (code === 'card_declined' || code === 'authentication_required') {
    if (declineCode === 'authentication_required') {
      return { code: 'authentication_required', decline_code: declineCode };
    }
    return { code: 'card_declined', decline_code: declineCode ?? 'generic_decline' };
  }
  return { code, decline_code: declineCode };
}

/** Expe's `{error: {type, code, message, param}}` in Stripe's words. */
export function toStripeErrorBody(expe: {
  type?: string;
  code?: string;
  message?: string;
  param?: string;
  decline_code?: string;
}): StripeErrorBody {
  const type = (expe.type ?? 'api_error') as StripeErrorType;
  const failure =
    type === 'card_error'
      ? stripeCardFailure(expe.code, expe.decline_code)
      : { code: expe.code, decline_code: expe.decline_code };
  const code = failure.code ? (codeMap[failure.code] ?? failure.code) : undefined;
  return {
    type,
    ...(code ? { code } : {}),
    ...(failure.decline_code ? { decline_code: failure.decline_code } : {}),
    message: expe.message ?? 'An error occurred',
    ...(expe.param ? { param: stripeParamOf(expe.param) } : {}),
    ...(code ? { doc_url: `${docBase}#${code.replaceAll('_', '-')}` } : {}),
  };
}

/** Expe's param names in Stripe's: `payment` is a PaymentIntent there. */
function stripeParamOf(param: string): string {
  if (param === 'payment') return 'payment_intent';
  return param;
}
