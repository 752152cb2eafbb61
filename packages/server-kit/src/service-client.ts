import { context, propagation } from '@opentelemetry/api';
import { AppError } from './errors.js';
import { identityHeader, signIdentity, type IdentitySigner, type Principal } from './identity.js';

export interface ServiceResponse<T> {
  status: number;
  body: T;
}

/**
 * Calls another Expe service (`audience`) over HTTP with an identity signed by the caller's
 * own key: its `service` principal unless told otherwise, the same credential the gateway uses. Network failures and timeouts become 503 `service_unavailable` (with Retry-After: the
 * service is down or overloaded, and a retry may succeed); HTTP errors are returned, not thrown.
 * For a service's `/internal/*` routes use `createInternalClient`, which types and parses them.
 */
export function createServiceClient(options: ServiceClientOptions) {
  return async function call<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    principal?: Principal,
  ): Promise<ServiceResponse<T>> {
    const { status, text } = await sendToService(options, method, path, body, principal);
    return { status, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

export interface ServiceClientOptions {
  baseUrl: string;
  signer: IdentitySigner;
  /** The called service's name: the token's `aud`. */
  audience: string;
  timeoutMs?: number;
}

/**
 * One request to another service, its answer's status and text. The one place that signs the
 * identity, carries the trace and turns a network failure or timeout into 503
 * `service_unavailable` (no retry: the caller decides, as a reconcile or a cache does).
 */
export async function sendToService(
  options: ServiceClientOptions,
  method: string,
  path: string,
  body?: unknown,
  principal: Principal = { kind: 'service', name: options.signer.issuer },
): Promise<{ status: number; text: string }> {
  try {
    const response = await fetch(new URL(path, options.baseUrl), {
      method,
      headers: withTraceContext({
        'content-type': 'application/json',
        [identityHeader]: signIdentity(options.signer, principal, { audience: options.audience }),
      }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    throw AppError.of('service_unavailable', 'A dependent service did not answer; try again', {
      cause: error,
    });
  }
}

export type ServiceClient = ReturnType<typeof createServiceClient>;

/**
 * Adds the active trace's W3C `traceparent` to outgoing headers. Node's fetch and undici are
 * not auto-instrumented, so calls to other services carry the trace by hand.
 */
export function withTraceContext(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}
