// Generated from packages/contracts/openapi.json by packages/sdk/scripts/generate-types.ts.
// Do not edit: run `npm run generate-types -w @expe/sdk` (a test fails when it drifts).
// Error codes are an open union (known codes | string) on purpose: new codes may appear.
/* eslint-disable @typescript-eslint/no-redundant-type-constituents */

export type Error = {
  error: {
    type:
      | 'invalid_request_error'
      | 'authentication_error'
      | 'permission_error'
      | 'idempotency_error'
      | 'rate_limit_error'
      | 'card_error'
      | 'upi_error'
      | 'api_error';
    code:
      | (
          | 'parameter_missing'
          | 'parameter_invalid'
          | 'parameter_unknown'
          | 'invalid_json'
          | 'email_invalid'
          | 'password_too_weak'
          | 'token_invalid'
          | 'topup_limit_exceeded'
          | 'recipient_not_found'
          | 'payment_method_customer_mismatch'
          | 'qr_code_amount_mismatch'
          | 'clock_advance_invalid'
          | 'amount_to_capture_invalid'
          | 'api_version_invalid'
          | 'payment_disputed'
          | 'body_too_deep'
          | 'body_too_complex'
          | 'insufficient_funds'
          | 'card_declined'
          | 'processing_error'
          | 'upi_transaction_failed'
          | 'balance_insufficient'
          | 'payout_exceeds_available'
          | 'authentication_required'
          | 'invalid_credentials'
          | 'invalid_api_key'
          | 'expired_api_key'
          | 'invalid_access_token'
          | 'invalid_refresh_token'
          | 'refresh_token_reused'
          | 'gateway_credential_required'
          | 'permission_denied'
          | 'secret_key_required'
          | 'resource_missing'
          | 'route_not_found'
          | 'email_taken'
          | 'resource_conflict'
          | 'payment_unexpected_state'
          | 'setup_intent_unexpected_state'
          | 'dispute_closed'
          | 'payout_unexpected_state'
          | 'idempotency_key_in_use'
          | 'qr_code_closed'
          | 'payment_link_inactive'
          | 'checkout_session_unexpected_state'
          | 'idempotency_key_reused'
          | 'request_too_large'
          | 'unsupported_content_encoding'
          | 'rate_limited'
          | 'too_many_login_attempts'
          | 'internal_error'
          | 'service_unavailable'
          | 'upstream_unavailable'
        )
      | string;
    message: string;
    param?: string;
    request_id?: string;
  };
};

export type Session = {
  access_token: string;
  token_type: 'Bearer';
  /** seconds until the access token expires */
  expires_in: number;
  refresh_token: string;
  user: User;
};

export type User = {
  id: string;
  object: 'user';
  email: string;
  name: string;
  role: 'user' | 'merchant' | 'admin';
  vpa: string;
  email_verified: boolean;
  created: number;
};

export type RegisterInput = {
  email: string;
  password: string;
  name: string;
  role?: 'user' | 'merchant';
};

export type LoginInput = {
  email: string;
  password: string;
};

export type RefreshInput = {
  refresh_token?: string;
};

export type VerifyEmailInput = {
  token: string;
};

export type PasswordResetRequestInput = {
  email: string;
};

export type PasswordResetConfirmInput = {
  token: string;
  password: string;
};

export type ChangePasswordInput = {
  current_password: string;
  new_password: string;
};

export type Mail = {
  id: string;
  object: 'mail';
  to: string;
  subject: string;
  text: string;
  kind: 'email_verification' | 'password_reset';
  token: string;
  created: number;
};

export type Merchant = {
  id: string;
  object: 'merchant';
  name: string;
  email: string;
  created: number;
};

export type UpdateMerchantInput = {
  name: string;
};

export type Project = {
  id: string;
  object: 'project';
  name: string;
  api_version: '2026-09-01' | '2026-11-28';
  created: number;
  expires_at: number | null;
};

export type CreateProjectInput = {
  name: string;
  /** Makes the project a sandbox that ends this many seconds after creation: test keys only; at its end its keys stop answering and its test data is archived. Omit for a project that lasts. */
  ttl_seconds?: number;
};

export type UpdateProjectInput = {
  name: string;
};

export type ApiKey = {
  id: string;
  object: 'api_key';
  name: string;
  /** test or live data */
  mode: 'test' | 'live';
  project: string;
  secret?: string;
  secret_masked: string;
  publishable: string;
  status: 'active' | 'revoked';
  expiring_secrets: Array<{
    secret_masked: string;
    expires: number;
  }>;
  last_used: number | null;
  created: number;
};

export type CreateApiKeyInput = {
  name: string;
  /** test or live data */
  mode: 'test' | 'live';
};

export type RollApiKeyInput = {
  expires_in?: number;
};

export type Account = {
  object: 'account';
  merchant_id: string;
  project_id: string;
  /** test or live data */
  mode: 'test' | 'live';
  /** The API key of the request; null when a merchant user's session acts for the project (Expe-Project, Expe-Mode) */
  key_id: string | null;
};

export type Payment = {
  id: string;
  object: 'payment';
  amount: number;
  amount_refunded: number;
  currency: string;
  status:
    | 'requires_payment_method'
    | 'requires_action'
    | 'processing'
    | 'requires_capture'
    | 'succeeded'
    | 'canceled'
    | 'expired';
  method: 'wallet' | 'card' | 'upi' | null;
  livemode: boolean;
  description: string | null;
  metadata: {
    [key: string]: string;
  };
  customer_email: string | null;
  client_secret: string;
  checkout_url: string;
  upi_uri: string | null;
  return_url: string | null;
  last_payment_error: {
    type: 'card_error' | 'upi_error' | 'invalid_request_error' | 'api_error';
    code: string;
    message: string;
    decline_code?: string;
  } | null;
  capture_method: 'automatic' | 'manual';
  amount_capturable: number;
  amount_received: number;
  next_action: PaymentNextAction;
  latest_charge: string | null;
  customer?: string | null;
  payment_method?: string | null;
  setup_future_usage?: 'on_session' | 'off_session' | null;
  payment_method_details?: {
    type: 'card';
    card: {
      brand: string;
      last4: string;
      exp_month: number;
      exp_year: number;
    };
  } | null;
  qr_code?: string | null;
  payment_link?: string | null;
  merchant?: {
    id: string;
    name: string;
  };
  expires_at: number;
  created: number;
};

export type PaymentNextAction = {
  type: 'redirect_to_url';
  redirect_to_url: {
    url: string;
  };
} | null;

export type CreatePaymentInput = {
  /** amount in the minor unit (paise for INR) */
  amount: number;
  /** ISO currency code, lower case */
  currency: string;
  description?: string;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
  customer_email?: string;
  return_url?: string;
  /** manual: confirming only authorizes (status requires_capture, the money held); capture it with POST /v1/payments/{id}/capture within 7 days */
  capture_method?: 'automatic' | 'manual';
  customer?: string;
  payment_method?: string;
  setup_future_usage?: 'on_session' | 'off_session';
  off_session?: boolean;
  confirm?: boolean;
};

export type UpdatePaymentInput = {
  description?: string | null;
  customer_email?: string | '' | null;
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type ConfirmPaymentInput = {
  client_secret: string;
  method: 'wallet' | 'card' | 'upi';
  card?: {
    number: string;
    exp_month: number;
    exp_year: number;
    cvc: string;
  };
  /** With method card and a secret key: the PaymentMethod (pm_…) to pay with instead of card */
  payment_method?: string;
  upi?: {
    vpa: string;
  };
  /** With method card and a secret key: the customer is not present, so a card that needs 3-D Secure fails with authentication_required instead of answering requires_action */
  off_session?: boolean;
};

export type AuthenticatePaymentInput = {
  client_secret: string;
  outcome: 'complete' | 'fail';
};

export type CapturePaymentInput = {
  /** At most amount_capturable; the rest is released. Default: all of it. */
  amount_to_capture?: number;
};

export type Refund = {
  id: string;
  object: 'refund';
  payment: string;
  charge: string | null;
  amount: number;
  currency: string;
  status: 'succeeded';
  reason: 'duplicate' | 'fraudulent' | 'requested_by_customer' | null;
  metadata: {
    [key: string]: string;
  };
  livemode: boolean;
  created: number;
};

export type CreateRefundInput = {
  payment: string;
  /** amount in the minor unit (paise for INR) */
  amount?: number;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer';
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type UpdateRefundInput = {
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type Balance = {
  object: 'balance';
  livemode: boolean;
  available: Array<{
    amount: number;
    currency: string;
  }>;
  pending: Array<{
    amount: number;
    currency: string;
  }>;
};

export type Event = {
  id: string;
  object: 'event';
  type: string;
  created: number;
  livemode: boolean;
  data: {
    object: {
      [key: string]: unknown;
    };
  };
};

export type MerchantStats = {
  object: 'merchant_stats';
  /** test or live data */
  mode: 'test' | 'live';
  payments: {
    total: number;
    succeeded: number;
    failed_attempts: number;
    canceled: number;
    expired: number;
    open: number;
  };
  volume: Array<{
    currency: string;
    amount: number;
    refunded: number;
  }>;
  success_rate: number | null;
};

export type Charge = {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  paid: boolean;
  captured: boolean;
  refunded: boolean;
  payment: string;
  customer: string | null;
  payment_method: string | null;
  payment_method_details: ChargePaymentMethodDetails;
  failure_code: string | null;
  failure_message: string | null;
  outcome: ChargeOutcome;
  balance_transaction: string | null;
  billing_details: {
    address: null;
    email: string | null;
    name: string | null;
    phone: string | null;
  };
  receipt_url: string | null;
  receipt_email: string | null;
  description: string | null;
  metadata: {
    [key: string]: string;
  };
  livemode: boolean;
  created: number;
};

export type ChargePaymentMethodDetails = {
  type: 'wallet' | 'card' | 'upi';
  card?: {
    brand: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: string;
    country: string | null;
    checks: {
      cvc_check: string | null;
      address_line1_check: string | null;
      address_postal_code_check: string | null;
    };
  };
};

export type ChargeOutcome = {
  network_status: 'approved_by_network' | 'declined_by_network' | 'not_sent_to_network';
  /** The decline code of a failed attempt */
  reason: string | null;
  risk_level: string;
  seller_message: string;
  type: 'authorized' | 'issuer_declined' | 'invalid';
} | null;

export type UpdateChargeInput = {
  description?: string | null;
  receipt_email?: string | '' | null;
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type CaptureChargeInput = {
  /** At most the payment's amount_capturable; the rest is released. Default: all. */
  amount?: number;
};

export type Receipt = {
  object: 'receipt';
  charge: string;
  receipt_number: string;
  merchant: {
    name: string;
  };
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  refunded: boolean;
  payment_method: {
    type: 'wallet' | 'card' | 'upi';
    card: {
      brand: string;
      last4: string;
    } | null;
  };
  description: string | null;
  livemode: boolean;
  created: number;
};

export type RequestLog = {
  /** The request id (the Request-Id header of its answer) */
  id: string;
  object: 'request_log';
  method: string;
  /** Without the query string */
  path: string;
  status: number;
  latency_ms: number;
  /** The API key used, or `dashboard_session` when a merchant user's session acted (Expe-Project); never the session's id */
  key_id: string;
  livemode: boolean;
  created: number;
};

export type BalanceTransaction = {
  id: string;
  object: 'balance_transaction';
  /** The effect on the balance before fees */
  amount: number;
  /** Expe’s fee (negative when a fee is returned) */
  fee: number;
  /** amount − fee: what the balance changed by */
  net: number;
  currency: string;
  type:
    'payment' | 'refund' | 'dispute' | 'payout' | 'payout_failure' | 'payout_cancel' | 'adjustment';
  /** The object that moved the money: pay_, re_, dp_, po_ */
  source: string;
  /** The charge whose money a payment row is (type payment), else null */
  charge: string | null;
  status: 'pending' | 'available';
  available_on: number;
  livemode: boolean;
  created: number;
};

export type BalanceSettings = {
  object: 'balance_settings';
  fees_enabled: boolean;
};

export type UpdateBalanceSettingsInput = {
  fees_enabled: boolean;
};

export type Payout = {
  id: string;
  object: 'payout';
  amount: number;
  currency: string;
  /** pending until arrival_date (by the project clock), then paid; failed when the bank refuses it; canceled while pending */
  status: 'pending' | 'paid' | 'failed' | 'canceled';
  destination: {
    type: 'vpa';
    vpa: string;
  };
  failure_code: string | null;
  failure_message: string | null;
  metadata: {
    [key: string]: string;
  };
  /** When the money reaches the destination: a pending payout becomes paid then */
  arrival_date: number;
  /** On a reversal: the paid payout whose money it brings back */
  original_payout: string | null;
  /** On a reversed payout: the reversal */
  reversed_by: string | null;
  livemode: boolean;
  created: number;
};

export type CreatePayoutInput = {
  /** amount in the minor unit (paise for INR) */
  amount: number;
  /** ISO currency code, lower case */
  currency: string;
  destination: {
    vpa: string;
  };
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type UpdatePayoutInput = {
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type ReversePayoutInput = {
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type Dispute = {
  id: string;
  object: 'dispute';
  payment: string;
  charge: string | null;
  amount: number;
  currency: string;
  status: 'needs_response' | 'won' | 'lost';
  reason: string;
  evidence: {
    access_activity_log: string | null;
    billing_address: string | null;
    cancellation_policy_disclosure: string | null;
    cancellation_rebuttal: string | null;
    customer_email_address: string | null;
    customer_name: string | null;
    customer_purchase_ip: string | null;
    duplicate_charge_explanation: string | null;
    duplicate_charge_id: string | null;
    product_description: string | null;
    refund_policy_disclosure: string | null;
    refund_refusal_explanation: string | null;
    service_date: string | null;
    shipping_address: string | null;
    shipping_carrier: string | null;
    shipping_date: string | null;
    shipping_tracking_number: string | null;
    uncategorized_text: string | null;
  };
  evidence_due_by: number;
  livemode: boolean;
  created: number;
};

export type UpdateDisputeInput = {
  /** Text evidence, merged into what was given before (a field given again replaces its text). File evidence (receipt, refund_policy…) is not taken. */
  evidence: {
    access_activity_log?: string;
    billing_address?: string;
    cancellation_policy_disclosure?: string;
    cancellation_rebuttal?: string;
    customer_email_address?: string;
    customer_name?: string;
    customer_purchase_ip?: string;
    duplicate_charge_explanation?: string;
    duplicate_charge_id?: string;
    product_description?: string;
    refund_policy_disclosure?: string;
    refund_refusal_explanation?: string;
    service_date?: string;
    shipping_address?: string;
    shipping_carrier?: string;
    shipping_date?: string;
    shipping_tracking_number?: string;
    /** Sandbox: "winning_evidence" wins the dispute, "losing_evidence" loses it; other text is kept */
    uncategorized_text?: string;
  };
};

export type Customer = {
  id: string;
  object: 'customer';
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  shipping: Shipping;
  metadata: {
    [key: string]: string;
  };
  livemode: boolean;
  created: number;
};

export type Shipping = {
  name: string;
  phone: string | null;
  address: {
    line1: string;
    line2: string | null;
    city: string | null;
    state: string | null;
    postal_code: string | null;
    country: string | null;
  };
} | null;

export type CreateCustomerInput = {
  email?: string;
  name?: string;
  description?: string;
  phone?: string;
  shipping?: ShippingInput;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type ShippingInput = {
  name: string;
  phone?: string;
  address: {
    line1: string;
    line2?: string;
    city?: string;
    state?: string;
    postal_code?: string;
    country?: string;
  };
};

export type DeletedCustomer = {
  id: string;
  object: 'customer';
  deleted: true;
};

export type UpdateCustomerInput = {
  email?: string | '' | null;
  name?: string | null;
  description?: string | null;
  phone?: string | '' | null;
  shipping?: ShippingInput | '' | null;
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type PaymentMethod = {
  id: string;
  object: 'payment_method';
  type: 'card';
  billing_details: {
    address: {
      city: string | null;
      country: string | null;
      line1: string | null;
      line2: string | null;
      postal_code: string | null;
      state: string | null;
    } | null;
    email: string | null;
    name: string | null;
    phone: string | null;
  };
  card: {
    brand: 'visa' | 'mastercard' | 'amex' | 'rupay' | 'unknown';
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: 'credit' | 'debit' | 'prepaid' | 'unknown';
    country: string | null;
    /** The same card number has the same fingerprint within a project */
    fingerprint: string;
  };
  /** The customer it is attached to; null before attaching and once detached */
  customer: string | null;
  metadata: {
    [key: string]: string;
  };
  livemode: boolean;
  created: number;
};

export type CreatePaymentMethodInput = {
  type: 'card';
  card: {
    token?: string;
    number?: string;
    exp_month?: number;
    exp_year?: number;
    cvc?: string;
  };
  billing_details?: BillingDetailsInput;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type BillingDetailsInput = {
  address?: {
    city?: string | null;
    country?: string | null;
    line1?: string | null;
    line2?: string | null;
    postal_code?: string | null;
    state?: string | null;
  } | null;
  email?: string | '' | null;
  name?: string | null;
  phone?: string | null;
};

export type UpdatePaymentMethodInput = {
  billing_details?: BillingDetailsInput;
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
  card?: {
    exp_month?: number;
    exp_year?: number;
  };
};

export type AttachPaymentMethodInput = {
  customer: string;
};

export type QrCode = {
  id: string;
  object: 'qr_code';
  usage: 'single_use' | 'multiple_use';
  fixed_amount: boolean;
  amount: number | null;
  currency: 'inr';
  description: string;
  metadata: {
    [key: string]: string;
  };
  status: 'active' | 'closed';
  close_by: number | null;
  close_reason: 'paid' | 'closed_by_merchant' | 'close_by_reached' | null;
  closed_at: number | null;
  /** PNG of the QR code (secret key) */
  image_url: string;
  upi_uri: string;
  payments_count: number;
  payments_amount_received: number;
  livemode: boolean;
  created: number;
};

export type CreateQrCodeInput = {
  usage: 'single_use' | 'multiple_use';
  fixed_amount: boolean;
  /** amount in the minor unit (paise for INR) */
  amount?: number;
  description: string;
  /** Unix seconds (project clock in test mode) when it closes */
  close_by?: number;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type PayQrCodeInput = {
  /** amount in the minor unit (paise for INR) */
  amount: number;
  vpa: string;
};

export type PaymentLink = {
  id: string;
  object: 'payment_link';
  url: string;
  amount: number;
  currency: string;
  description: string;
  metadata: {
    [key: string]: string;
  };
  reusable: boolean;
  active: boolean;
  payments_count: number;
  livemode: boolean;
  created: number;
};

export type CreatePaymentLinkInput = {
  /** amount in the minor unit (paise for INR) */
  amount: number;
  /** ISO currency code, lower case */
  currency: string;
  description: string;
  reusable?: boolean;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
};

export type UpdatePaymentLinkInput = {
  active?: boolean;
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type PaymentLinkCheckout = {
  object: 'payment_link_checkout';
  payment: string;
  client_secret: string;
};

export type SetupIntent = {
  id: string;
  object: 'setup_intent';
  status:
    | 'requires_payment_method'
    | 'requires_confirmation'
    | 'requires_action'
    | 'processing'
    | 'succeeded'
    | 'canceled';
  usage: 'on_session' | 'off_session';
  customer: string | null;
  payment_method: string | null;
  payment_method_types: Array<'card'>;
  description: string | null;
  metadata: {
    [key: string]: string;
  };
  last_setup_error: {
    type: 'card_error' | 'invalid_request_error';
    code: string;
    message: string;
    decline_code?: string;
  } | null;
  next_action: PaymentNextAction;
  cancellation_reason: string | null;
  /** Where the 3-D Secure challenge sends the cardholder back */
  return_url: string | null;
  /** Authorizes the hosted 3-D Secure challenge page (POST …/authenticate) */
  client_secret: string;
  livemode: boolean;
  created: number;
};

export type CreateSetupIntentInput = {
  customer?: string;
  payment_method?: string;
  usage?: 'on_session' | 'off_session';
  confirm?: boolean;
  description?: string;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
  /** Where the 3-D Secure challenge sends the cardholder back */
  return_url?: string;
};

export type UpdateSetupIntentInput = {
  customer?: string;
  payment_method?: string;
  description?: string | null;
  /** Merged into the existing metadata: a key set to "" is removed; "" or null removes every key. At most 50 keys in all. */
  metadata?: {
    [key: string]: string;
  } | null;
};

export type ConfirmSetupIntentInput = {
  payment_method?: string;
  /** Replaces the return_url given at creation */
  return_url?: string;
};

export type CancelSetupIntentInput = {
  cancellation_reason?: 'abandoned' | 'requested_by_customer' | 'duplicate';
};

export type AuthenticateSetupIntentInput = {
  client_secret: string;
  outcome: 'complete' | 'fail';
};

export type CheckoutSession = {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer: string | null;
  customer_email: string | null;
  /** With {CHECKOUT_SESSION_ID} replaced by the session id */
  success_url: string | null;
  cancel_url: string | null;
  metadata: {
    [key: string]: string;
  };
  /** The payment the session opened */
  payment_intent: string;
  /** The hosted checkout page while the session is open, else null */
  url: string | null;
  expires_at: number;
  completed_at: number | null;
  livemode: boolean;
  created: number;
};

export type CreateCheckoutSessionInput = {
  /** Only payment is supported */
  mode?: 'payment';
  line_items: Array<CheckoutLineItemInput>;
  client_reference_id?: string;
  customer?: string;
  customer_email?: string;
  success_url?: string;
  cancel_url?: string;
  /** Up to 50 string keys and values for your own use */
  metadata?: {
    [key: string]: string;
  };
  expires_at?: number;
};

export type CheckoutLineItemInput = {
  price_data: {
    /** ISO currency code, lower case */
    currency: string;
    unit_amount: number;
    product_data: {
      name: string;
      description?: string;
    };
  };
  quantity: number;
  /** Not supported: use price_data */
  price?: string;
};

export type CheckoutLineItem = {
  id: string;
  object: 'item';
  description: string;
  currency: string;
  quantity: number;
  price_data: {
    currency: string;
    unit_amount: number;
    product_data: {
      name: string;
      description: string | null;
    };
  };
  amount_subtotal: number;
  amount_total: number;
};

export type TestClock = {
  object: 'test_clock';
  livemode: false;
  now: number;
  offset_seconds: number;
};

export type AdvanceTestClockInput = {
  /** How far to move the clock ahead: a whole number of seconds from 1 to 31536000. A clock never goes back. */
  seconds: number;
};

export type CompleteTestPaymentInput = {
  outcome: 'succeeded' | 'failed';
};

export type TestDataReset = {
  object: 'test_data_reset';
  livemode: false;
  created: number;
};

export type Wallet = {
  object: 'wallet';
  balance: number;
  held: number;
  currency: 'inr';
  vpa: string;
};

export type Topup = {
  id: string;
  object: 'topup';
  amount: number;
  currency: 'inr';
  balance: number;
  created: number;
};

export type TopupInput = {
  /** amount in the minor unit (paise for INR) */
  amount: number;
};

export type Transfer = {
  id: string;
  object: 'transfer';
  amount: number;
  currency: 'inr';
  from: {
    user_id: string;
    vpa: string;
  };
  to: {
    user_id: string;
    vpa: string;
  };
  note: string | null;
  status: 'completed';
  created: number;
};

export type TransferInput = {
  to: string;
  /** amount in the minor unit (paise for INR) */
  amount: number;
  note?: string;
};

export type WalletTransaction = {
  id: string;
  object: 'wallet_transaction';
  type: 'topup' | 'transfer_in' | 'transfer_out' | 'payment' | 'refund' | 'hold' | 'release';
  amount: number;
  currency: 'inr';
  counterparty: {
    kind: 'user' | 'merchant' | 'sandbox';
    id: string | null;
    name: string | null;
    vpa: string | null;
  } | null;
  note: string | null;
  reference: string | null;
  created: number;
};

export type WebhookEndpoint = {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: Array<string>;
  description: string | null;
  status: 'enabled' | 'disabled';
  livemode: boolean;
  /** expe: Expe events, Expe-Signature; stripe: Stripe Event objects (payment_intent.succeeded, …), Stripe-Signature */
  format?: 'expe' | 'stripe';
  simulate?: WebhookSimulate;
  secret?: string;
  created: number;
};

export type WebhookSimulate = {
  duplicate_rate?: number;
  max_delay_ms?: number;
  reorder?: boolean;
  fail_first_attempts?: number;
};

export type CreateWebhookEndpointInput = {
  url: string;
  enabled_events: Array<
    | '*'
    | 'payment.created'
    | 'payment.requires_action'
    | 'payment.processing'
    | 'payment.amount_capturable_updated'
    | 'payment.succeeded'
    | 'payment.failed'
    | 'payment.canceled'
    | 'payment.expired'
    | 'refund.succeeded'
    | 'dispute.created'
    | 'dispute.updated'
    | 'dispute.closed'
    | 'payout.created'
    | 'payout.paid'
    | 'payout.failed'
    | 'payout.canceled'
    | 'payout.updated'
    | 'customer.created'
    | 'customer.updated'
    | 'customer.deleted'
    | 'payment_method.attached'
    | 'payment_method.detached'
    | 'qr_code.created'
    | 'qr_code.credited'
    | 'qr_code.closed'
    | 'payment_link.created'
    | 'payment_link.updated'
    | 'payment_link.paid'
    | 'checkout.session.completed'
    | 'checkout.session.expired'
    | 'webhook_endpoint.disabled'
    | 'payment_method.updated'
    | 'setup_intent.created'
    | 'setup_intent.requires_action'
    | 'setup_intent.succeeded'
    | 'setup_intent.setup_failed'
    | 'setup_intent.canceled'
    | 'charge.pending'
    | 'charge.succeeded'
    | 'charge.failed'
    | 'charge.captured'
    | 'charge.refunded'
    | 'charge.expired'
    | 'charge.updated'
    | 'balance.available'
    | 'charge.dispute.closed'
    | 'charge.dispute.created'
    | 'charge.dispute.funds_reinstated'
    | 'charge.dispute.funds_withdrawn'
    | 'charge.dispute.updated'
    | 'charge.refund.updated'
    | 'checkout.session.async_payment_failed'
    | 'checkout.session.async_payment_succeeded'
    | 'payment_intent.amount_capturable_updated'
    | 'payment_intent.canceled'
    | 'payment_intent.created'
    | 'payment_intent.partially_funded'
    | 'payment_intent.payment_failed'
    | 'payment_intent.processing'
    | 'payment_intent.requires_action'
    | 'payment_intent.succeeded'
    | 'payment_method.automatically_updated'
    | 'payout.reconciliation_completed'
    | 'refund.created'
    | 'refund.failed'
    | 'refund.updated'
  >;
  description?: string;
  /** expe: Expe events, Expe-Signature; stripe: Stripe Event objects (payment_intent.succeeded, …), Stripe-Signature */
  format?: 'expe' | 'stripe';
  simulate?: WebhookSimulate;
};

export type UpdateWebhookEndpointInput = {
  url?: string;
  enabled_events?: Array<
    | '*'
    | 'payment.created'
    | 'payment.requires_action'
    | 'payment.processing'
    | 'payment.amount_capturable_updated'
    | 'payment.succeeded'
    | 'payment.failed'
    | 'payment.canceled'
    | 'payment.expired'
    | 'refund.succeeded'
    | 'dispute.created'
    | 'dispute.updated'
    | 'dispute.closed'
    | 'payout.created'
    | 'payout.paid'
    | 'payout.failed'
    | 'payout.canceled'
    | 'payout.updated'
    | 'customer.created'
    | 'customer.updated'
    | 'customer.deleted'
    | 'payment_method.attached'
    | 'payment_method.detached'
    | 'qr_code.created'
    | 'qr_code.credited'
    | 'qr_code.closed'
    | 'payment_link.created'
    | 'payment_link.updated'
    | 'payment_link.paid'
    | 'checkout.session.completed'
    | 'checkout.session.expired'
    | 'webhook_endpoint.disabled'
    | 'payment_method.updated'
    | 'setup_intent.created'
    | 'setup_intent.requires_action'
    | 'setup_intent.succeeded'
    | 'setup_intent.setup_failed'
    | 'setup_intent.canceled'
    | 'charge.pending'
    | 'charge.succeeded'
    | 'charge.failed'
    | 'charge.captured'
    | 'charge.refunded'
    | 'charge.expired'
    | 'charge.updated'
    | 'balance.available'
    | 'charge.dispute.closed'
    | 'charge.dispute.created'
    | 'charge.dispute.funds_reinstated'
    | 'charge.dispute.funds_withdrawn'
    | 'charge.dispute.updated'
    | 'charge.refund.updated'
    | 'checkout.session.async_payment_failed'
    | 'checkout.session.async_payment_succeeded'
    | 'payment_intent.amount_capturable_updated'
    | 'payment_intent.canceled'
    | 'payment_intent.created'
    | 'payment_intent.partially_funded'
    | 'payment_intent.payment_failed'
    | 'payment_intent.processing'
    | 'payment_intent.requires_action'
    | 'payment_intent.succeeded'
    | 'payment_method.automatically_updated'
    | 'payout.reconciliation_completed'
    | 'refund.created'
    | 'refund.failed'
    | 'refund.updated'
  >;
  description?: string | null;
  disabled?: boolean;
  simulate?: WebhookSimulate & (Record<string, unknown> | null);
};

export type DeletedWebhookEndpoint = {
  id: string;
  object: 'webhook_endpoint';
  deleted: true;
};

export type RotateWebhookSecretInput = {
  expires_in?: number;
};

export type WebhookDelivery = {
  id: string;
  object: 'webhook_delivery';
  endpoint: string;
  event: {
    id: string;
    type: string;
  };
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  attempts: number;
  next_attempt: number | null;
  manual: boolean;
  livemode: boolean;
  created: number;
};

export type WebhookDeliveryAttempt = {
  id: string;
  object: 'webhook_delivery_attempt';
  delivery: string;
  endpoint: string;
  event: {
    id: string;
    type: string;
  };
  attempt: number;
  url: string;
  outcome: 'succeeded' | 'failed_attempt' | 'failed';
  status_code: number | null;
  latency_ms: number | null;
  response_excerpt: string | null;
  error: string | null;
  next_retry: number | null;
  livemode: boolean;
  created: number;
};

export type RedeliverWebhookEventInput = {
  event: string;
};
