import { identityHeader, type Principal } from '@expe/server-kit';
import { signTestIdentity } from './identity.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON (undefined when the answer is not JSON). */
  body: T;
  text: string;
  bytes: Buffer;
}

export interface CallOptions {
  /** Who the gateway says is calling; `null` sends no gateway header. Default anonymous. */
  as?: Principal | null;
  /** JSON-encoded unless it is a string, which is sent as it is. */
  body?: unknown;
  /** Sent byte for byte (malformed JSON, odd encodings). */
  rawBody?: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** The client address the gateway saw (rate limits, login throttling). */
  clientIp?: string;
}

// Tests read JSON bodies loosely on purpose: the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Call = <T = any>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options?: CallOptions,
) => Promise<ApiResponse<T>>;

/**
 * Calls one service directly, the way the gateway forwards a request: the caller's principal
 * signed in `X-Expe-Identity`, no credentials. Every service's API tests use it.
 */
export function apiClient(baseUrl: string): Call {
  return async (method, path, options = {}) => {
    const principal = options.as === undefined ? { kind: 'anonymous' as const } : options.as;
    const headers: Record<string, string> = { ...options.headers };
    if (principal) {
      headers[identityHeader] = signTestIdentity(principal, {
        ...(options.clientIp ? { clientIp: options.clientIp } : {}),
      });
    }
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(new URL(path, baseUrl), { method, headers, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    const isJson = response.headers.get('content-type')?.includes('json') ?? false;
    return {
      status: response.status,
      headers: response.headers,
      body: (isJson && text ? JSON.parse(text) : undefined) as never,
      text,
      bytes,
    };
  };
}

/**
 * Calls a service at its URL when the call is made, so a client can be made before the service
 * starts (a test file's service starts in its `beforeAll`).
 */
export function clientOf(service: { readonly url: string }): Call {
  return (method, path, options) => apiClient(service.url)(method, path, options);
}
