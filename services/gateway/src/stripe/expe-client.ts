import { createHash } from 'node:crypto';
import {
  AppError,
  identityHeader,
  signIdentity,
  withTraceContext,
  type Principal,
  type IdentitySigner,
} from '@expe/server-kit';
import { upstreamFor, type Upstream } from '../http/routes-table.js';

export interface ExpeAnswer<T = unknown> {
  status: number;
  body: T;
  isReplay: boolean;
}

/** Who asks, for one Stripe request: the caller's principal and the request's id. */
export interface CallerContext {
  principal: Principal;
  requestId: string;
  clientIp: string | undefined;
}

export type ExpeCall = <T = unknown>(
  caller: CallerContext,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options?: { body?: unknown; idempotencyKey?: string },
) => Promise<ExpeAnswer<T>>;

/**
 * Calls Expe's own public API, routed by the gateway's routes table to the owning service
 * with the caller's signed identity — exactly what a request to :4000 would do after the
 * gateway's checks, so the Stripe layer sees the same rules, idempotency and errors.
 */
export function createExpeCall(options: {
  baseUrls: Record<Upstream, string>;
  signer: IdentitySigner;
  timeoutMs: number;
}): ExpeCall {
  return async (caller, method, path, { body, idempotencyKey } = {}) => {
    const upstream = upstreamFor(path.split('?')[0] ?? '');
    if (!upstream) throw new Error(`no Expe route for ${path}`);
    const headers: Record<string, string> = {
      'x-request-id': caller.requestId,
      [identityHeader]: signIdentity(options.signer, caller.principal, {
        audience: upstream,
        clientIp: caller.clientIp,
      }),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    withTraceContext(headers);
    let response: Response;
    try {
      response = await fetch(new URL(path, options.baseUrls[upstream]), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw AppError.of(
        'service_unavailable',
        'The service behind this route did not answer; try again',
        {
          cause: error,
          headers: { 'Retry-After': '1' },
        },
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: response.status,
      body: parsed as never,
      isReplay: response.headers.get('idempotent-replayed') === 'true',
    };
  };
}

/**
 * The Idempotency-Key of one step of a Stripe request that takes several Expe calls (create,
 * then confirm): the client's key plus the step, hashed when that would pass Expe's 255 chars.
 */
export function stepKey(key: string | undefined, step: string): string | undefined {
  if (key === undefined) return undefined;
  const derived = `${key}#${step}`;
  return derived.length <= 255
    ? derived
    : `sha256:${createHash('sha256').update(derived).digest('hex')}`;
}
