// Writes docs/errors.md from the contracts' error table (packages/contracts/src/errors.ts).
// A test fails when the page drifts from the table. Run:
//   node --conditions=@expe/source --import tsx packages/sdk/scripts/write-error-docs.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorCodes, errorTypes } from '@expe/contracts';
import { format, resolveConfig } from 'prettier';

export const errorDocsPath = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

/** What each code means for the caller and what to do about it. */
const explanations: Record<string, string> = {
  parameter_missing: 'A required field is absent; `param` names it.',
  parameter_invalid:
    'A field has the wrong type, format or range (e.g. a fractional or negative `amount`); `param` names it (`card[cvc]` style).',
  parameter_unknown: 'The body has a field the endpoint does not take; `param` names it.',
  invalid_json: 'The body is not valid JSON.',
  body_too_deep:
    'The JSON body nests objects and arrays more than 32 levels deep; no endpoint takes more than a few.',
  body_too_complex: 'The JSON body holds more than 10,000 values; no endpoint takes that many.',
  unsupported_content_encoding:
    'The `Content-Encoding` is not one the API decodes: send the body as `identity`, `gzip`, `deflate` or `br` (one coding); `param` is `Content-Encoding`.',
  email_invalid: 'The email address is not valid.',
  password_too_weak: 'The password is too short or too common.',
  token_invalid: 'A verification or password-reset token is unknown, used or expired.',
  topup_limit_exceeded: 'A wallet top-up exceeds the sandbox limit.',
  recipient_not_found: 'No wallet has that VPA or email (`POST /v1/wallet/transfers`).',
  clock_advance_invalid:
    'A test clock moves ahead only, by 1 second to a year at a time (`POST /v1/test_helpers/clock/advance`); `param` is `seconds`.',
  amount_to_capture_invalid:
    'The capture asks for more than the payment holds: capture at most its `amount_capturable`; `param` is `amount_to_capture`.',
  api_version_invalid:
    'The `Expe-Version` header names no API version: use one of the dates in docs/api-concepts.md, or send none to get your project’s pinned version.',
  insufficient_funds: 'The card (`4000000000009995`) or the wallet does not have enough money.',
  card_declined:
    'The card was declined (`4000000000000002`). The payment returns to `requires_payment_method`; ask for another method.',
  processing_error:
    'The card processor failed (`4000000000000119`). Retry the confirmation or use another card.',
  upi_transaction_failed: 'The UPI payment failed (`failure@expe`).',
  balance_insufficient: 'The merchant balance is too low for the refund.',
  payment_disputed:
    'The payment is disputed (or its dispute was lost): its money cannot be refunded; `param` is `payment`.',
  payout_exceeds_available:
    'The payout is more than the available balance (pending money does not count); `param` is `amount`.',
  dispute_closed: 'The dispute is already won or lost: evidence and closing are refused.',
  payout_unexpected_state:
    'Only a pending payout can be canceled, only a paid one (not a reversal) reversed, once.',
  authentication_required:
    'No credential was sent: add `Authorization: Bearer sk_test_…` (or an access token).',
  invalid_credentials: 'Wrong email or password.',
  invalid_api_key: 'The API key is unknown, revoked or malformed.',
  expired_api_key:
    'The key ended: it was rolled and its grace period is over (use the new secret), or its project was a sandbox that has ended.',
  invalid_access_token:
    'The access token is invalid or expired: refresh it (`POST /v1/auth/refresh`).',
  invalid_refresh_token: 'The refresh token is unknown, expired or revoked: sign in again.',
  refresh_token_reused:
    'A spent refresh token was replayed: the whole session family is revoked; sign in again.',
  gateway_credential_required:
    'A service was called without the gateway: call the API through the gateway.',
  permission_denied:
    'The credential may not do this (e.g. a publishable key on a secret-key route, a user on a merchant route).',
  secret_key_required: 'This route needs a secret key (`sk_…`), not a publishable one.',
  resource_missing:
    'No such object, or it belongs to another merchant, project or mode (test and live never mix).',
  route_not_found: 'No such route: check the method and path (`/v1/…`).',
  email_taken: 'An account with that email exists.',
  resource_conflict: 'The object is in a state that conflicts with the request.',
  payment_unexpected_state:
    'The payment cannot do that in its current status (e.g. confirm a succeeded payment, refund an unpaid one).',
  setup_intent_unexpected_state:
    'The SetupIntent cannot do that in its current status (e.g. confirm a canceled or succeeded one, cancel a succeeded one).',
  idempotency_key_in_use:
    'A request with the same `Idempotency-Key` is still running: retry shortly (the SDK does).',
  idempotency_key_reused: 'The `Idempotency-Key` was used with a different body: use a new key.',
  request_too_large:
    'The body exceeds the size limit (counted after decoding its `Content-Encoding`, so a small compressed body that inflates past it is refused too).',
  rate_limited:
    'Too many requests: wait for `Retry-After` seconds (`RateLimit-*` headers show the budget).',
  too_many_login_attempts: 'Too many failed sign-ins from this client: wait for `Retry-After`.',
  internal_error:
    'Something failed on Expe’s side; the `request_id` finds it in the logs. Safe to retry with the same `Idempotency-Key`.',
  service_unavailable: 'A service is overloaded or restarting: retry after `Retry-After`.',
  upstream_unavailable: 'The gateway could not reach the service behind the route: retry.',
  payment_method_customer_mismatch:
    'The saved `payment_method` belongs to another customer, or was detached: charge a card saved on this `customer`.',
  qr_code_amount_mismatch:
    'The QR code has a fixed amount and the payment was for another one (`param: amount`).',
  qr_code_closed:
    'The QR code is closed (paid single-use code, closed by the merchant or past `close_by`), or a single-use code already has a payment in progress.',
  payment_link_inactive:
    'The payment link was deactivated, or it was for one payment and has been paid: ask the merchant for a new link.',
  checkout_session_unexpected_state:
    'The Checkout Session is complete or expired, or its payment is being paid (a pending UPI payment): it can no longer be expired.',
};

export async function renderErrorDocs(): Promise<string> {
  const rows = Object.entries(errorCodes).map(
    ([code, { type, status }]) =>
      `| \`${code}\` | ${status} | \`${type}\` | ${explanations[code] ?? '—'} |`,
  );
  const text = [
    '<!-- Generated from packages/contracts/src/errors.ts by packages/sdk/scripts/write-error-docs.ts; do not edit (a test fails when it drifts). -->',
    '',
    '# Error codes',
    '',
    'Every error is `{"error": {"type", "code", "message", "param"?, "request_id"}}` with the HTTP status below. Switch on `code` (stable: codes are added, never renamed); show `message` to developers, not to shoppers; quote `request_id` when asking for help. See [api-concepts.md](api-concepts.md#errors) for the types and retries.',
    '',
    `Types: ${errorTypes.map((type) => `\`${type}\``).join(', ')}.`,
    '',
    '| code | status | type | meaning and what to do |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  const options = (await resolveConfig(errorDocsPath)) ?? {};
  return format(text, { ...options, filepath: errorDocsPath });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(errorDocsPath, await renderErrorDocs());
}
