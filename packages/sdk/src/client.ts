import type {
  CreateWebhookEndpointParams,
  DeletedWebhookEndpointResource,
  EventResource,
  RotateWebhookSecretParams,
  UpdateWebhookEndpointParams,
  WebhookDeliveryAttemptResource,
  WebhookDeliveryResource,
  WebhookEndpointResource,
} from '@expe/contracts';

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
  created?: CreatedRange;
}

export interface ListDeliveriesParams extends ListParams {
  /** Only the attempts of this event. */
  event?: string;
}

export interface RequestOptions {
  /** Makes a POST safe to retry: the same key and body answer the first response again. */
  idempotencyKey?: string;
}

export interface ExpeClientOptions {
  /** A secret key: `sk_test_…` or `sk_live_…`. */
  apiKey: string;
  /** The gateway, e.g. `http://localhost:4000`. */
  baseUrl: string;
  timeoutMs?: number;
  /** Replaces the global `fetch` (for proxies, tests or instrumentation). */
  fetch?: typeof fetch;
}

/** An API error object (`{error: {type, code, message, param?, request_id}}`) as an exception. */
export class ExpeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = 'ExpeApiError';
  }
}

type Scalar = string | number | boolean;
type Query = Record<string, Scalar | undefined | Record<string, Scalar | undefined>>;

/** Stripe-style query strings: `created[gte]=…` for nested filters. */
function toSearchParams(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'object') {
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

/** A typed client for the Expe API: events and webhook endpoints. */
export function createExpeClient(options: ExpeClientOptions) {
  const doFetch = options.fetch ?? fetch;

  async function request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    init: { query?: Query; body?: unknown; idempotencyKey?: string | undefined } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.apiKey}`,
      accept: 'application/json',
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
    const url = new URL(`${path}${toSearchParams(init.query)}`, options.baseUrl);
    const response = await doFetch(url, {
      method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (body as { error?: Record<string, string | undefined> } | undefined)?.error;
      throw new ExpeApiError(
        response.status,
        error?.type ?? 'api_error',
        error?.code ?? 'unknown',
        error?.message ?? `HTTP ${response.status}`,
        error?.param,
        error?.request_id ?? response.headers.get('request-id') ?? undefined,
      );
    }
    return body as T;
  }

  const endpointPath = (id: string) => `/v1/webhook_endpoints/${encodeURIComponent(id)}`;

  return {
    events: {
      list: (params: ListEventsParams = {}) =>
        request<ListResponse<EventResource>>('GET', '/v1/events', { query: { ...params } }),
      retrieve: (id: string) =>
        request<EventResource>('GET', `/v1/events/${encodeURIComponent(id)}`),
    },
    webhookEndpoints: {
      /** The response carries `secret`, which is never shown again. */
      create: (params: CreateWebhookEndpointParams, opts: RequestOptions = {}) =>
        request<WebhookEndpointResource>('POST', '/v1/webhook_endpoints', {
          body: params,
          idempotencyKey: opts.idempotencyKey,
        }),
      list: (params: ListParams = {}) =>
        request<ListResponse<WebhookEndpointResource>>('GET', '/v1/webhook_endpoints', {
          query: { ...params },
        }),
      retrieve: (id: string) => request<WebhookEndpointResource>('GET', endpointPath(id)),
      update: (id: string, params: UpdateWebhookEndpointParams, opts: RequestOptions = {}) =>
        request<WebhookEndpointResource>('POST', endpointPath(id), {
          body: params,
          idempotencyKey: opts.idempotencyKey,
        }),
      del: (id: string) => request<DeletedWebhookEndpointResource>('DELETE', endpointPath(id)),
      /** The old secret keeps signing for `expires_in` seconds (default 24 h). */
      rotateSecret: (
        id: string,
        params: RotateWebhookSecretParams = {},
        opts: RequestOptions = {},
      ) =>
        request<WebhookEndpointResource>('POST', `${endpointPath(id)}/rotate_secret`, {
          body: params,
          idempotencyKey: opts.idempotencyKey,
        }),
      sendTest: (id: string, opts: RequestOptions = {}) =>
        request<WebhookDeliveryResource>('POST', `${endpointPath(id)}/test`, {
          body: {},
          idempotencyKey: opts.idempotencyKey,
        }),
      listDeliveries: (id: string, params: ListDeliveriesParams = {}) =>
        request<ListResponse<WebhookDeliveryAttemptResource>>(
          'GET',
          `${endpointPath(id)}/deliveries`,
          { query: { ...params } },
        ),
      /** Sends the event to the endpoint again, as a new delivery. */
      redeliver: (id: string, params: { event: string }, opts: RequestOptions = {}) =>
        request<WebhookDeliveryResource>('POST', `${endpointPath(id)}/redeliver`, {
          body: params,
          idempotencyKey: opts.idempotencyKey,
        }),
    },
  };
}

export type ExpeClient = ReturnType<typeof createExpeClient>;
