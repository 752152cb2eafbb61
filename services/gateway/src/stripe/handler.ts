import type { Redis } from 'ioredis';
import {
  StripeError,
  stripeStatusOf,
  toStripeErrorBody,
  type ParsedParams,
} from '@expe/stripe-compat';
import type { CallerContext, ExpeAnswer, ExpeCall } from './expe-client.js';

/** What one Stripe operation's handler gets: checked params, the path id, and Expe. */
export interface StripeRequest {
  caller: CallerContext;
  params: ParsedParams;
  id: string;
  idempotencyKey: string | undefined;
  /** Expe's API as this caller. */
  expe: <T = unknown>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options?: { body?: unknown; idempotencyKey?: string },
  ) => Promise<ExpeAnswer<T>>;
  redis: Redis;
  /** The request path without the query (list objects carry it as `url`). */
  path: string;
}

export interface StripeAnswer {
  status?: number;
  body: unknown;
  isReplay?: boolean;
}

export type StripeHandler = (request: StripeRequest) => Promise<StripeAnswer>;

export function bindExpe(call: ExpeCall, caller: CallerContext): StripeRequest['expe'] {
  return async <T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options?: { body?: unknown; idempotencyKey?: string },
  ) => {
    const answer = await call<T>(caller, method, path, options);
    // Some Expe services refuse a path id of the wrong form (`we_123`) as bad input naming `id`;
    // Stripe looks any id up, so for a Stripe client it is an object that does not exist.
    if (answer.status === 400 && errorOf(answer)?.param === 'id') return { ...answer, status: 404 };
    return answer;
  };
}

function errorOf(answer: ExpeAnswer): Record<string, string> | undefined {
  return (answer.body as { error?: Record<string, string> } | undefined)?.error;
}

/** Expe's answer, or the Stripe error that says the same. */
export function expectOk<T>(answer: ExpeAnswer<T>): T {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  throw stripeErrorOf(answer);
}

export function stripeErrorOf(answer: ExpeAnswer): StripeError {
  const error = errorOf(answer);
  const body = toStripeErrorBody(error ?? { type: 'api_error', message: 'Unexpected answer' });
  if (answer.status === 404) {
    return new StripeError(404, {
      ...body,
      type: 'invalid_request_error',
      code: 'resource_missing',
    });
  }
  return new StripeError(stripeStatusOf(answer.status, error?.code), body);
}

/**
 * Expe's 409 for a request whose object is in the wrong state (not one still running under the
 * same Idempotency-Key: that 409 is Stripe's too, and the SDKs retry it).
 */
export function isStateConflict(answer: ExpeAnswer): boolean {
  return answer.status === 409 && errorOf(answer)?.code !== 'idempotency_key_in_use';
}

/** The `?limit&starting_after&ending_before` of a Stripe list, for Expe's list endpoint. */
export function listQuery(
  params: ParsedParams,
  extra: Record<string, string | readonly string[] | undefined> = {},
) {
  const query = new URLSearchParams();
  for (const name of ['limit', 'starting_after', 'ending_before'] as const) {
    const value = params[name] as string | number | undefined | null;
    if (value !== undefined && value !== null) query.set(name, String(value));
  }
  const created = params.created as Record<string, number> | undefined;
  if (created) {
    for (const [bound, value] of Object.entries(created)) {
      if (bound === 'eq') {
        query.set('created[gte]', String(value));
        query.set('created[lte]', String(value));
      } else {
        query.set(`created[${bound}]`, String(value));
      }
    }
  }
  for (const [name, value] of Object.entries(extra)) {
    if (typeof value === 'string') query.set(name, value);
    // A list as `name[]=a&name[]=b`, which Expe's query parser reads as an array.
    else if (value) for (const item of value) query.append(`${name}[]`, item);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

export interface ExpeList<T> {
  data: T[];
  has_more: boolean;
}
