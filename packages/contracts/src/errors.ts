/**
 * The error object every Expe API returns, and the stable codes clients may switch on.
 * Adding a code is fine; renaming or removing one breaks clients.
 */
export const errorTypes = [
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'idempotency_error',
  'rate_limit_error',
  'card_error',
  // The payer's bank or UPI app refused a UPI payment (not a card: clients must not say "card").
  'upi_error',
  'api_error',
] as const;
export type ErrorType = (typeof errorTypes)[number];

export const errorCodes = {
  // 400
  parameter_missing: { type: 'invalid_request_error', status: 400 },
  parameter_invalid: { type: 'invalid_request_error', status: 400 },
  parameter_unknown: { type: 'invalid_request_error', status: 400 },
  invalid_json: { type: 'invalid_request_error', status: 400 },
  email_invalid: { type: 'invalid_request_error', status: 400 },
  password_too_weak: { type: 'invalid_request_error', status: 400 },
  token_invalid: { type: 'invalid_request_error', status: 400 },
  topup_limit_exceeded: { type: 'invalid_request_error', status: 400 },
  recipient_not_found: { type: 'invalid_request_error', status: 400 },
  payment_method_customer_mismatch: { type: 'invalid_request_error', status: 400 },
  qr_code_amount_mismatch: { type: 'invalid_request_error', status: 400 },
  clock_advance_invalid: { type: 'invalid_request_error', status: 400 },
  amount_to_capture_invalid: { type: 'invalid_request_error', status: 400 },
  api_version_invalid: { type: 'invalid_request_error', status: 400 },
  payment_disputed: { type: 'invalid_request_error', status: 400 },
  body_too_deep: { type: 'invalid_request_error', status: 400 },
  body_too_complex: { type: 'invalid_request_error', status: 400 },
  // 402: money could not move
  insufficient_funds: { type: 'card_error', status: 402 },
  card_declined: { type: 'card_error', status: 402 },
  processing_error: { type: 'card_error', status: 402 },
  upi_transaction_failed: { type: 'upi_error', status: 402 },
  balance_insufficient: { type: 'invalid_request_error', status: 402 },
  payout_exceeds_available: { type: 'invalid_request_error', status: 402 },
  // 401
  authentication_required: { type: 'authentication_error', status: 401 },
  invalid_credentials: { type: 'authentication_error', status: 401 },
  invalid_api_key: { type: 'authentication_error', status: 401 },
  expired_api_key: { type: 'authentication_error', status: 401 },
  invalid_access_token: { type: 'authentication_error', status: 401 },
  invalid_refresh_token: { type: 'authentication_error', status: 401 },
  refresh_token_reused: { type: 'authentication_error', status: 401 },
  gateway_credential_required: { type: 'authentication_error', status: 401 },
  // 403
  permission_denied: { type: 'permission_error', status: 403 },
  secret_key_required: { type: 'permission_error', status: 403 },
  // 404
  resource_missing: { type: 'invalid_request_error', status: 404 },
  route_not_found: { type: 'invalid_request_error', status: 404 },
  // 409
  email_taken: { type: 'invalid_request_error', status: 409 },
  resource_conflict: { type: 'invalid_request_error', status: 409 },
  payment_unexpected_state: { type: 'invalid_request_error', status: 409 },
  setup_intent_unexpected_state: { type: 'invalid_request_error', status: 409 },
  dispute_closed: { type: 'invalid_request_error', status: 409 },
  payout_unexpected_state: { type: 'invalid_request_error', status: 409 },
  idempotency_key_in_use: { type: 'idempotency_error', status: 409 },
  qr_code_closed: { type: 'invalid_request_error', status: 409 },
  payment_link_inactive: { type: 'invalid_request_error', status: 409 },
  checkout_session_unexpected_state: { type: 'invalid_request_error', status: 409 },
  // 422
  idempotency_key_reused: { type: 'idempotency_error', status: 422 },
  // 413
  request_too_large: { type: 'invalid_request_error', status: 413 },
  // 415
  unsupported_content_encoding: { type: 'invalid_request_error', status: 415 },
  // 429
  rate_limited: { type: 'rate_limit_error', status: 429 },
  too_many_login_attempts: { type: 'rate_limit_error', status: 429 },
  // 5xx
  internal_error: { type: 'api_error', status: 500 },
  service_unavailable: { type: 'api_error', status: 503 },
  upstream_unavailable: { type: 'api_error', status: 502 },
} as const satisfies Record<string, { type: ErrorType; status: number }>;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCodes, value);
}
