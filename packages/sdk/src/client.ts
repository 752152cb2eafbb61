import { randomUUID } from 'node:crypto';
import type * as Api from './generated/api-types.js';
import { ExpeApiError, ExpeConnectionError, errorFromResponse } from './errors.js';

export { ExpeApiError } from './errors.js';

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

export interface ListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

// A type alias, not an interface, so it fits the query encoder's index signature.
export type CreatedRange = {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
};

export interface ListEventsParams extends ListParams {
  type?: string;
  /** Any of these types (up to 20; `payment.*` for a family); not together with `type`. */
  types?: string[];
  created?: CreatedRange;
}

export interface ListPaymentsParams extends ListParams {
  status?: Api.Payment['status'];
  /** Only this customer's payments (`cus_…`). */
  customer?: string;
  created?: CreatedRange;
}

export interface ListRefundsParams extends ListParams {
  /** Only the refunds of this payment. */
  payment?: string;
}

export interface ListChargesParams extends ListParams {
  /** Only the attempts of this payment. */
  payment?: string;
  /** Only this customer's charges (`cus_…`). */
  customer?: string;
}

export interface ListWalletTransactionsParams extends ListParams {
  type?: Api.WalletTransaction['type'];
}

export interface ListDeliveriesParams extends ListParams {
  /** Only the attempts of this event. */
  event?: string;
}

export interface ListBalanceTransactionsParams extends ListParams {
  type?: Api.BalanceTransaction['type'];
  /** Only the movements of this object (`pay_`, `re_`, `dp_`, `po_`). */
  source?: string;
}

export interface ListPayoutsParams extends ListParams {
  status?: Api.Payout['status'];
}

export interface ListDisputesParams extends ListParams {
  status?: Api.Dispute['status'];
  /** Only the dispute of this payment. */
  payment?: string;
}

export interface ListCustomersParams extends ListParams {
  email?: string;
}

export interface ListPaymentMethodsParams extends ListParams {
  /** One customer's PaymentMethods. */
  customer?: string;
  type?: 'card';
}

export interface ListSetupIntentsParams extends ListParams {
  customer?: string;
  payment_method?: string;
}

export interface ListQrCodesParams extends ListParams {
  status?: Api.QrCode['status'];
}

export interface ListCheckoutSessionsParams extends ListParams {
  /** Only the session that opened this payment (`pay_…`). */
  payment_intent?: string;
  /** Only this customer's sessions (`cus_…`). */
  customer?: string;
  status?: Api.CheckoutSession['status'];
}

export interface TimelineEntry {
  object: 'timeline_entry';
  type: string;
  status: Api.Payment['status'] | null;
  event: string;
  created: number;
}

/** One API request of the project (`GET /v1/request_logs`): never bodies or credentials. */
export type RequestLog = Api.RequestLog;

export interface RequestOptions {
  /**
   * Makes a POST safe to retry: the same key and body answer the first response again. When
   * omitted, the SDK generates one per call and reuses it for that call's retries.
   */
  idempotencyKey?: string;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
}

export interface ExpeClientOptions {
  /** A secret key (`sk_test_…`/`sk_live_…`), or a user's access token for the wallet calls. */
  apiKey: string;
  /** The gateway, e.g. `http://localhost:4000`. */
  baseUrl: string;
  /** Per attempt, default 30 s. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 409 (request in progress), 429 or 5xx. Default 2. */
  maxNetworkRetries?: number;
  /** `Expe-Version` header to pin an API version. */
  apiVersion?: string;
  /** Replaces the global `fetch` (for proxies, tests or instrumentation). */
  fetch?: typeof fetch;
}

type Scalar = string | number | boolean;
type Query = Record<string, Scalar | Scalar[] | undefined | Record<string, Scalar | undefined>>;
type Method = 'GET' | 'POST' | 'DELETE';

interface RequestInitOptions {
  query?: Query;
  body?: unknown;
  idempotencyKey?: string | undefined;
  timeoutMs?: number | undefined;
  /** false: send no Authorization (checkout-side calls authenticated by the client_secret). */
  auth?: string | false;
  raw?: boolean;
}

/** Stripe-style query strings: `created[gte]=…` for nested filters, `types[]=…` for lists. */
function toSearchParams(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) params.append(`${key}[]`, String(item));
    } else if (typeof value === 'object') {
      for (const [inner, innerValue] of Object.entries(value)) {
        if (innerValue !== undefined) params.append(`${key}[${inner}]`, String(innerValue));
      }
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** `ECONNREFUSED`, `ENOTFOUND`, … rather than fetch's bare "fetch failed". */
function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

const retryableStatuses = new Set([409, 429, 500, 502, 503, 504]);

function isRetryable(error: unknown): boolean {
  if (error instanceof ExpeConnectionError) return true;
  if (!(error instanceof ExpeApiError) || !retryableStatuses.has(error.status)) return false;
  // 409 only for "the same idempotency key is still being processed", not for conflicts.
  return error.status !== 409 || error.code === 'idempotency_key_in_use';
}

/** Exponential backoff with full jitter (0.5 s, 1 s, 2 s … capped at 8 s), or Retry-After. */
function delayBefore(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 60) * 1000;
  const cap = Math.min(8000, 500 * 2 ** attempt);
  return cap / 2 + Math.random() * (cap / 2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every object of a list, page after page (`starting_after` the last one), e.g.
 * `for await (const customer of autoPaginate(expe.customers.list, { limit: 100 }))`.
 * `params` (filters, `limit` as the page size) are passed on every page.
 */
export async function* autoPaginate<T extends { id: string }, P extends ListParams>(
  list: (params?: P) => Promise<ListResponse<T>>,
  params: NoInfer<P> = {} as P,
): AsyncGenerator<T, void, undefined> {
  let startingAfter: string | undefined = params.starting_after;
  for (;;) {
    const page = await list({ ...params, starting_after: startingAfter });
    yield* page.data;
    const last = page.data.at(-1);
    if (!page.has_more || !last) return;
    startingAfter = last.id;
  }
}

/** A typed client for every public resource of the Expe API. */
export function createExpeClient(options: ExpeClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const maxRetries = options.maxNetworkRetries ?? 2;

  async function attempt(
    method: Method,
    url: URL,
    init: RequestInitOptions,
    idempotencyKey: string | undefined,
  ): Promise<{ value: unknown; retryAfter: string | null }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = init.auth === undefined ? options.apiKey : init.auth;
    if (auth) headers.authorization = `Bearer ${auth}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (options.apiVersion) headers['expe-version'] = options.apiVersion;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(init.timeoutMs ?? options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new ExpeConnectionError(
        timedOut
          ? `${method} ${url.pathname} timed out`
          : `Could not reach ${url.origin}: ${describeFetchFailure(error)}`,
        error,
      );
    }
    const retryAfter = response.headers.get('retry-after');
    if (init.raw && response.ok) {
      return { value: new Uint8Array(await response.arrayBuffer()), retryAfter };
    }
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!response.ok) {
      const error = errorFromResponse(response.status, body, response.headers.get('request-id'));
      Object.assign(error, { retryAfter });
      throw error;
    }
    return { value: body, retryAfter };
  }

  async function request<T>(method: Method, path: string, init: RequestInitOptions = {}) {
    const url = new URL(`${path}${toSearchParams(init.query)}`, options.baseUrl);
    // One key per logical call, reused by its retries, so a retried POST never acts twice.
    const idempotencyKey = method === 'POST' ? (init.idempotencyKey ?? randomUUID()) : undefined;
    for (let retry = 0; ; retry++) {
      try {
        return (await attempt(method, url, init, idempotencyKey)).value as T;
      } catch (error) {
        if (retry >= maxRetries || !isRetryable(error)) throw error;
        await sleep(
          delayBefore(retry, (error as { retryAfter?: string | null }).retryAfter ?? null),
        );
      }
    }
  }

  const post = <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, {
      body,
      idempotencyKey: opts.idempotencyKey,
      timeoutMs: opts.timeoutMs,
    });
  const id = (value: string) => encodeURIComponent(value);
  const endpointPath = (endpoint: string) => `/v1/webhook_endpoints/${id(endpoint)}`;
  const list = <T>(path: string, params: object = {}) =>
    request<ListResponse<T>>('GET', path, { query: { ...(params as Query) } });

  return {
    payments: {
      create: (params: Api.CreatePaymentInput, opts?: RequestOptions) =>
        post<Api.Payment>('/v1/payments', params, opts),
      retrieve: (payment: string) => request<Api.Payment>('GET', `/v1/payments/${id(payment)}`),
      /**
       * Description, customer email and metadata, in any status. Metadata merges into the keys
       * already there: a key set to `''` is removed, `metadata: null` removes them all.
       */
      update: (payment: string, params: Api.UpdatePaymentInput, opts?: RequestOptions) =>
        post<Api.Payment>(`/v1/payments/${id(payment)}`, params, opts),
      list: (params: ListPaymentsParams = {}) =>
        request<ListResponse<Api.Payment>>('GET', '/v1/payments', { query: { ...params } }),
      cancel: (payment: string, opts?: RequestOptions) =>
        post<Api.Payment>(`/v1/payments/${id(payment)}/cancel`, {}, opts),
      /**
       * The checkout side: authenticated by `client_secret` in the body, not by the API key.
       * For `method: 'wallet'` pass the payer's access token as `payerAccessToken`.
       */
      confirm: (
        payment: string,
        params: Api.ConfirmPaymentInput,
        opts: RequestOptions & { payerAccessToken?: string } = {},
      ) =>
        request<Api.Payment>('POST', `/v1/payments/${id(payment)}/confirm`, {
          body: params,
          idempotencyKey: opts.idempotencyKey,
          timeoutMs: opts.timeoutMs,
          auth: opts.payerAccessToken ?? false,
        }),
      timeline: (payment: string) =>
        request<ListResponse<TimelineEntry>>('GET', `/v1/payments/${id(payment)}/timeline`),
      /**
       * A `capture_method: 'manual'` payment in `requires_capture`: takes `amount_to_capture`
       * (default all of `amount_capturable`) and releases the rest.
       */
      capture: (payment: string, params: Api.CapturePaymentInput = {}, opts?: RequestOptions) =>
        post<Api.Payment>(`/v1/payments/${id(payment)}/capture`, params, opts),
      /**
       * The checkout side of a 3-D Secure challenge (`requires_action`): authenticated by
       * `client_secret` in the body, not by the API key.
       */
      authenticate: (
        payment: string,
        params: Api.AuthenticatePaymentInput,
        opts?: RequestOptions,
      ) =>
        request<Api.Payment>('POST', `/v1/payments/${id(payment)}/authenticate`, {
          body: params,
          idempotencyKey: opts?.idempotencyKey,
          timeoutMs: opts?.timeoutMs,
          auth: false,
        }),
      /** The payment's UPI QR code: PNG bytes, or SVG text bytes with `format: 'svg'`. */
      qrCode: (payment: string, params: { format?: 'png' | 'svg' } = {}) =>
        request<Uint8Array>('GET', `/v1/payments/${id(payment)}/qr`, {
          query: { ...params },
          raw: true,
        }),
    },
    refunds: {
      create: (params: Api.CreateRefundInput, opts?: RequestOptions) =>
        post<Api.Refund>('/v1/refunds', params, opts),
      retrieve: (refund: string) => request<Api.Refund>('GET', `/v1/refunds/${id(refund)}`),
      /** Metadata, merged as for payments. */
      update: (refund: string, params: Api.UpdateRefundInput, opts?: RequestOptions) =>
        post<Api.Refund>(`/v1/refunds/${id(refund)}`, params, opts),
      list: (params: ListRefundsParams = {}) =>
        request<ListResponse<Api.Refund>>('GET', '/v1/refunds', { query: { ...params } }),
    },
    /** Every attempt to pay a payment (`ch_…`), failed ones included, newest first. */
    charges: {
      retrieve: (charge: string) => request<Api.Charge>('GET', `/v1/charges/${id(charge)}`),
      list: (params: ListChargesParams = {}) =>
        request<ListResponse<Api.Charge>>('GET', '/v1/charges', { query: { ...params } }),
      /** Description, receipt_email and metadata (merged as for payments). */
      update: (charge: string, params: Api.UpdateChargeInput, opts?: RequestOptions) =>
        post<Api.Charge>(`/v1/charges/${id(charge)}`, params, opts),
      /** Captures the charge's payment (capture_method manual), all of it or `amount`. */
      capture: (charge: string, params: Api.CaptureChargeInput = {}, opts?: RequestOptions) =>
        post<Api.Charge>(`/v1/charges/${id(charge)}/capture`, params, opts),
    },
    /** Available and pending money per currency. */
    balance: {
      retrieve: () => request<Api.Balance>('GET', '/v1/balance'),
    },
    /** Every change of the balance (`bt_…`), newest first. */
    balanceTransactions: {
      retrieve: (transaction: string) =>
        request<Api.BalanceTransaction>('GET', `/v1/balance_transactions/${id(transaction)}`),
      list: (params: ListBalanceTransactionsParams = {}) =>
        list<Api.BalanceTransaction>('/v1/balance_transactions', params),
    },
    /** Whether successful payments pay the sandbox fee (applies to later payments). */
    balanceSettings: {
      retrieve: () => request<Api.BalanceSettings>('GET', '/v1/balance_settings'),
      update: (params: Api.UpdateBalanceSettingsInput, opts?: RequestOptions) =>
        post<Api.BalanceSettings>('/v1/balance_settings', params, opts),
    },
    /**
     * Money out of the available balance to a UPI address (`success@expe` paid at once,
     * `failure@expe` fails, `pending@expe` pending for a day).
     */
    payouts: {
      create: (params: Api.CreatePayoutInput, opts?: RequestOptions) =>
        post<Api.Payout>('/v1/payouts', params, opts),
      retrieve: (payout: string) => request<Api.Payout>('GET', `/v1/payouts/${id(payout)}`),
      /** Metadata, merged as for payments. */
      update: (payout: string, params: Api.UpdatePayoutInput, opts?: RequestOptions) =>
        post<Api.Payout>(`/v1/payouts/${id(payout)}`, params, opts),
      list: (params: ListPayoutsParams = {}) => list<Api.Payout>('/v1/payouts', params),
      /** Cancels a pending payout: its money is back in the available balance. */
      cancel: (payout: string, opts?: RequestOptions) =>
        post<Api.Payout>(`/v1/payouts/${id(payout)}/cancel`, {}, opts),
      /** Reverses a paid payout: answers the reversal, a new payout naming the original. */
      reverse: (payout: string, params: Api.ReversePayoutInput = {}, opts?: RequestOptions) =>
        post<Api.Payout>(`/v1/payouts/${id(payout)}/reverse`, params, opts),
    },
    disputes: {
      retrieve: (dispute: string) => request<Api.Dispute>('GET', `/v1/disputes/${id(dispute)}`),
      list: (params: ListDisputesParams = {}) => list<Api.Dispute>('/v1/disputes', params),
      /** Submits evidence (sandbox: `winning_evidence` wins, `losing_evidence` loses). */
      update: (dispute: string, params: Api.UpdateDisputeInput, opts?: RequestOptions) =>
        post<Api.Dispute>(`/v1/disputes/${id(dispute)}`, params, opts),
      /** Accepts the dispute: it is `lost`. */
      close: (dispute: string, opts?: RequestOptions) =>
        post<Api.Dispute>(`/v1/disputes/${id(dispute)}/close`, {}, opts),
    },
    customers: {
      create: (params: Api.CreateCustomerInput = {}, opts?: RequestOptions) =>
        post<Api.Customer>('/v1/customers', params, opts),
      /** A deleted customer answers `{id, object: 'customer', deleted: true}`, as Stripe's does. */
      retrieve: (customer: string) =>
        request<Api.Customer | Api.DeletedCustomer>('GET', `/v1/customers/${id(customer)}`),
      update: (customer: string, params: Api.UpdateCustomerInput, opts?: RequestOptions) =>
        post<Api.Customer>(`/v1/customers/${id(customer)}`, params, opts),
      /** Detaches the customer's saved cards too. */
      del: (customer: string) =>
        request<Api.DeletedCustomer>('DELETE', `/v1/customers/${id(customer)}`),
      list: (params: ListCustomersParams = {}) => list<Api.Customer>('/v1/customers', params),
      /** The customer's saved cards. */
      listPaymentMethods: (customer: string, params: ListParams = {}) =>
        list<Api.PaymentMethod>(`/v1/customers/${id(customer)}/payment_methods`, params),
    },
    /**
     * PaymentMethods (`pm_…`): created from a sandbox test token or card number (test mode),
     * attached to a customer (or saved by a payment with `setup_future_usage` or a SetupIntent),
     * then charged with `payments.create({customer, payment_method, confirm: true})`.
     */
    paymentMethods: {
      create: (params: Api.CreatePaymentMethodInput, opts?: RequestOptions) =>
        post<Api.PaymentMethod>('/v1/payment_methods', params, opts),
      retrieve: (paymentMethod: string) =>
        request<Api.PaymentMethod>('GET', `/v1/payment_methods/${id(paymentMethod)}`),
      /** Billing details merge field by field; metadata merges by Stripe's rules. */
      update: (
        paymentMethod: string,
        params: Api.UpdatePaymentMethodInput,
        opts?: RequestOptions,
      ) => post<Api.PaymentMethod>(`/v1/payment_methods/${id(paymentMethod)}`, params, opts),
      list: (params: ListPaymentMethodsParams = {}) =>
        list<Api.PaymentMethod>('/v1/payment_methods', params),
      /** A declining card is refused (402); a detached PaymentMethod cannot be attached again. */
      attach: (
        paymentMethod: string,
        params: Api.AttachPaymentMethodInput,
        opts?: RequestOptions,
      ) => post<Api.PaymentMethod>(`/v1/payment_methods/${id(paymentMethod)}/attach`, params, opts),
      detach: (paymentMethod: string, opts?: RequestOptions) =>
        post<Api.PaymentMethod>(`/v1/payment_methods/${id(paymentMethod)}/detach`, {}, opts),
    },
    /** SetupIntents (`seti_…`): a card saved on a customer without a payment. */
    setupIntents: {
      /** `confirm: true` confirms at once; a declined card is an `ExpeApiError` (402). */
      create: (params: Api.CreateSetupIntentInput = {}, opts?: RequestOptions) =>
        post<Api.SetupIntent>('/v1/setup_intents', params, opts),
      retrieve: (setupIntent: string) =>
        request<Api.SetupIntent>('GET', `/v1/setup_intents/${id(setupIntent)}`),
      update: (setupIntent: string, params: Api.UpdateSetupIntentInput, opts?: RequestOptions) =>
        post<Api.SetupIntent>(`/v1/setup_intents/${id(setupIntent)}`, params, opts),
      /** succeeded attaches the card; requires_action waits for the hosted 3-D Secure page. */
      confirm: (
        setupIntent: string,
        params: Api.ConfirmSetupIntentInput = {},
        opts?: RequestOptions,
      ) => post<Api.SetupIntent>(`/v1/setup_intents/${id(setupIntent)}/confirm`, params, opts),
      cancel: (
        setupIntent: string,
        params: Api.CancelSetupIntentInput = {},
        opts?: RequestOptions,
      ) => post<Api.SetupIntent>(`/v1/setup_intents/${id(setupIntent)}/cancel`, params, opts),
      list: (params: ListSetupIntentsParams = {}) =>
        list<Api.SetupIntent>('/v1/setup_intents', params),
    },
    /** UPI QR codes (`qr_…`, INR) that UPI apps pay. */
    qrCodes: {
      create: (params: Api.CreateQrCodeInput, opts?: RequestOptions) =>
        post<Api.QrCode>('/v1/qr_codes', params, opts),
      retrieve: (qrCode: string) => request<Api.QrCode>('GET', `/v1/qr_codes/${id(qrCode)}`),
      list: (params: ListQrCodesParams = {}) => list<Api.QrCode>('/v1/qr_codes', params),
      close: (qrCode: string, opts?: RequestOptions) =>
        post<Api.QrCode>(`/v1/qr_codes/${id(qrCode)}/close`, {}, opts),
      /** PNG bytes, or SVG text bytes with `format: 'svg'`. */
      image: (qrCode: string, params: { format?: 'png' | 'svg' } = {}) =>
        request<Uint8Array>('GET', `/v1/qr_codes/${id(qrCode)}/image`, {
          query: { ...params },
          raw: true,
        }),
      /** The payments made to the code. */
      listPayments: (qrCode: string, params: ListParams = {}) =>
        list<Api.Payment>(`/v1/qr_codes/${id(qrCode)}/payments`, params),
    },
    paymentLinks: {
      create: (params: Api.CreatePaymentLinkInput, opts?: RequestOptions) =>
        post<Api.PaymentLink>('/v1/payment_links', params, opts),
      retrieve: (link: string) => request<Api.PaymentLink>('GET', `/v1/payment_links/${id(link)}`),
      list: (params: ListParams = {}) => list<Api.PaymentLink>('/v1/payment_links', params),
      /** `active: false` stops new payments. */
      update: (link: string, params: Api.UpdatePaymentLinkInput, opts?: RequestOptions) =>
        post<Api.PaymentLink>(`/v1/payment_links/${id(link)}`, params, opts),
      /** The visitor's side (no API key): starts a payment of the link for the hosted checkout. */
      checkout: (link: string, opts?: RequestOptions) =>
        request<Api.PaymentLinkCheckout>('POST', `/v1/payment_links/${id(link)}/checkout`, {
          body: {},
          idempotencyKey: opts?.idempotencyKey,
          timeoutMs: opts?.timeoutMs,
          auth: false,
        }),
    },
    /**
     * Checkout Sessions (`cs_test_…`): line items paid on the hosted checkout page (`url`);
     * paying completes the session (`checkout.session.completed`).
     */
    checkout: {
      sessions: {
        create: (params: Api.CreateCheckoutSessionInput, opts?: RequestOptions) =>
          post<Api.CheckoutSession>('/v1/checkout/sessions', params, opts),
        retrieve: (session: string) =>
          request<Api.CheckoutSession>('GET', `/v1/checkout/sessions/${id(session)}`),
        list: (params: ListCheckoutSessionsParams = {}) =>
          list<Api.CheckoutSession>('/v1/checkout/sessions', params),
        /** The session's line items, in the order they were given. */
        listLineItems: (session: string, params: ListParams = {}) =>
          list<Api.CheckoutLineItem>(`/v1/checkout/sessions/${id(session)}/line_items`, params),
        /** Cancels its payment: the session can no longer be paid. */
        expire: (session: string, opts?: RequestOptions) =>
          post<Api.CheckoutSession>(`/v1/checkout/sessions/${id(session)}/expire`, {}, opts),
      },
    },
    /** Test mode only (a live key gets 404): the project clock and simulated outcomes. */
    testHelpers: {
      clock: {
        retrieve: () => request<Api.TestClock>('GET', '/v1/test_helpers/clock'),
        /** Moves the project clock ahead (pending funds, expiries, evidence deadlines follow). */
        advance: (params: Api.AdvanceTestClockInput, opts?: RequestOptions) =>
          post<Api.TestClock>('/v1/test_helpers/clock/advance', params, opts),
      },
      payments: {
        /** Settles a `processing` (e.g. `pending@expe` UPI) payment. */
        complete: (payment: string, params: Api.CompleteTestPaymentInput, opts?: RequestOptions) =>
          post<Api.Payment>(`/v1/test_helpers/payments/${id(payment)}/complete`, params, opts),
      },
      qrCodes: {
        /** A UPI app pays the code; the VPA decides the outcome as for UPI payments. */
        pay: (qrCode: string, params: Api.PayQrCodeInput, opts?: RequestOptions) =>
          post<Api.Payment>(`/v1/test_helpers/qr_codes/${id(qrCode)}/pay`, params, opts),
      },
      /** Detaches the project's test data (payments, customers, balance …); live data is kept. */
      reset: (opts?: RequestOptions) => post<Api.TestDataReset>('/v1/test_helpers/reset', {}, opts),
    },
    account: {
      retrieve: () => request<Api.Account>('GET', '/v1/account'),
    },
    events: {
      list: (params: ListEventsParams = {}) =>
        request<ListResponse<Api.Event>>('GET', '/v1/events', { query: { ...params } }),
      retrieve: (event: string) => request<Api.Event>('GET', `/v1/events/${id(event)}`),
    },
    /** The project's API requests made with its keys, newest first (kept 7 days, at most 1000). */
    requestLogs: {
      list: (params: ListParams = {}) =>
        request<ListResponse<RequestLog>>('GET', '/v1/request_logs', { query: { ...params } }),
    },
    /** Wallet calls act for a person: create the client with their access token as `apiKey`. */
    wallet: {
      retrieve: () => request<Api.Wallet>('GET', '/v1/wallet'),
      topup: (params: Api.TopupInput, opts?: RequestOptions) =>
        post<Api.Topup>('/v1/wallet/topup', params, opts),
      transfer: (params: Api.TransferInput, opts?: RequestOptions) =>
        post<Api.Transfer>('/v1/wallet/transfers', params, opts),
      listTransactions: (params: ListWalletTransactionsParams = {}) =>
        request<ListResponse<Api.WalletTransaction>>('GET', '/v1/wallet/transactions', {
          query: { ...params },
        }),
    },
    webhookEndpoints: {
      /** The response carries `secret`, which is never shown again. */
      create: (params: Api.CreateWebhookEndpointInput, opts?: RequestOptions) =>
        post<Api.WebhookEndpoint>('/v1/webhook_endpoints', params, opts),
      list: (params: ListParams = {}) =>
        request<ListResponse<Api.WebhookEndpoint>>('GET', '/v1/webhook_endpoints', {
          query: { ...params },
        }),
      retrieve: (endpoint: string) => request<Api.WebhookEndpoint>('GET', endpointPath(endpoint)),
      update: (endpoint: string, params: Api.UpdateWebhookEndpointInput, opts?: RequestOptions) =>
        post<Api.WebhookEndpoint>(endpointPath(endpoint), params, opts),
      del: (endpoint: string) =>
        request<Api.DeletedWebhookEndpoint>('DELETE', endpointPath(endpoint)),
      /** The old secret keeps signing for `expires_in` seconds (default 24 h). */
      rotateSecret: (
        endpoint: string,
        params: Api.RotateWebhookSecretInput = {},
        opts?: RequestOptions,
      ) => post<Api.WebhookEndpoint>(`${endpointPath(endpoint)}/rotate_secret`, params, opts),
      sendTest: (endpoint: string, opts?: RequestOptions) =>
        post<Api.WebhookDelivery>(`${endpointPath(endpoint)}/test`, {}, opts),
      listDeliveries: (endpoint: string, params: ListDeliveriesParams = {}) =>
        request<ListResponse<Api.WebhookDeliveryAttempt>>(
          'GET',
          `${endpointPath(endpoint)}/deliveries`,
          { query: { ...params } },
        ),
      /** Sends the event to the endpoint again, as a new delivery. */
      redeliver: (
        endpoint: string,
        params: Api.RedeliverWebhookEventInput,
        opts?: RequestOptions,
      ) => post<Api.WebhookDelivery>(`${endpointPath(endpoint)}/redeliver`, params, opts),
    },
  };
}

export type ExpeClient = ReturnType<typeof createExpeClient>;
