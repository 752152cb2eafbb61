import type { Request, Response } from 'express';
import type { Database } from './db.js';
import { AppError } from './errors.js';
import {
  maxIdempotencyKeyLength,
  requestFingerprint,
  runIdempotent,
  type EffectResult,
  type IdempotencyStore,
} from './idempotency.js';
import type { Principal } from './identity.js';
import type { Transaction } from './transaction.js';

/**
 * Whose Idempotency-Keys a request uses: a key's project and mode, a person (and the mode they
 * act in, when the route has one), a service. Keys of different callers never collide. An
 * anonymous caller has no keys of its own: `anon:` plus what the route names (the payment a
 * checkout page confirms).
 */
export function idempotencyScope(
  principal: Principal,
  options: { mode?: 'test' | 'live' | undefined; anonymous?: string | undefined } = {},
): string {
  switch (principal.kind) {
    case 'api_key':
      return `project:${principal.projectId}:${principal.mode}`;
    case 'user':
      return `user:${principal.userId}${options.mode ? `:${options.mode}` : ''}`;
    case 'service':
      return `service:${principal.name}`;
    case 'anonymous':
      return `anon:${options.anonymous ?? ''}`;
  }
}

/** The Idempotency-Key header, checked: 1 to 255 characters. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > maxIdempotencyKeyLength) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid Idempotency-Key: must be 1 to ${maxIdempotencyKeyLength} characters`,
      { param: 'Idempotency-Key' },
    );
  }
  return key;
}

export interface SendIdempotentOptions<Prepared = void> {
  db: Database;
  store: IdempotencyStore;
  /** From {@link idempotencyScope}. */
  scope: string;
  ttlSeconds: number;
  /** Remote calls to make only when the request is not a replay (see IdempotentRequest). */
  prepare?: () => Promise<Prepared>;
  /** Extra headers for a fresh answer and its replays alike (`Cache-Control: no-store`). */
  headers?: Record<string, string>;
}

/**
 * Runs a POST's effect under its Idempotency-Key and sends the result, with
 * `Idempotent-Replayed: true` on a replay. Call it only after the body is validated: a request
 * that fails validation leaves no trace.
 */
export async function sendIdempotent<Prepared = void>(
  req: Request,
  res: Response,
  options: SendIdempotentOptions<Prepared>,
  effect: (tx: Transaction, prepared: Prepared) => Promise<EffectResult>,
): Promise<void> {
  const response = await runIdempotent(
    options.db,
    options.store,
    {
      scope: options.scope,
      key: idempotencyKeyOf(req),
      fingerprint: requestFingerprint(req.method, req.baseUrl + req.path, req.body),
      requestId: res.locals.requestId,
      ttlSeconds: options.ttlSeconds,
      prepare: options.prepare,
    },
    effect,
  );
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  if (response.isReplay) res.setHeader('Idempotent-Replayed', 'true');
  if (response.body === '') res.status(response.status).end();
  else res.status(response.status).type('application/json').send(response.body);
}
