import type { Request } from 'express';
import { AppError } from './errors.js';
import { maxIdempotencyKeyLength } from './idempotency.js';
import type { Principal } from './identity.js';

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
