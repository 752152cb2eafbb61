import { AppError, renderError, sha256Hex, type Database } from '@expe/server-kit';
import {
  findIdempotencyKey,
  insertIdempotencyKeyIfAbsent,
  tryLockIdempotencyKey,
  type IdempotencyRow,
} from '../db/idempotency-repository.js';
import { inTransaction, type Transaction } from '../db/retry.js';

export const maxIdempotencyKeyLength = 255;

/** What a use case answers; `onCommit` runs once the transaction has committed (metrics). */
export interface EffectResult {
  status: number;
  body: unknown;
  onCommit?: () => void;
}

export interface IdempotentRequest {
  /** Whose keys these are: `merchant:<id>:<mode>`, `user:<id>`, `anon:<payment id>`. */
  scope: string;
  /** The Idempotency-Key header; without one the effect simply runs once. */
  key: string | undefined;
  /** From {@link requestFingerprint}: the same key with another request is refused. */
  fingerprint: string;
  requestId: string;
  ttlSeconds: number;
}

export interface IdempotentResponse {
  status: number;
  /** The exact bytes to send; a replay sends the first response's bytes again. */
  body: string;
  isReplay: boolean;
}

/**
 * Runs a POST's effect at most once per Idempotency-Key (DESIGN §4), in the same database
 * transaction that stores the response:
 * 1. a transaction-scoped advisory lock on the key, without waiting: a concurrent duplicate
 *    gets 409 `idempotency_key_in_use`;
 * 2. a stored response for the key is replayed byte for byte, if the request is the same one
 *    (else 422 `idempotency_key_reused`);
 * 3. otherwise the effect runs and its response is stored before COMMIT. A 4xx AppError rolls
 *    the effect back and is then stored on its own, so a retry gets the same answer; a 5xx is
 *    not stored, so a retry runs again. Whichever answer is stored first wins: an effect whose
 *    key was answered meanwhile (by a duplicate that ran while a refusal was being stored) is
 *    rolled back and the stored answer replayed.
 * Serialization failures and deadlocks rerun the whole transaction. The common path takes four
 * statements besides the effect's (BEGIN, lock, look-up, store, COMMIT): no savepoint.
 */
export async function runIdempotent(
  db: Database,
  request: IdempotentRequest,
  effect: (tx: Transaction) => Promise<EffectResult>,
): Promise<IdempotentResponse> {
  for (let round = 1; ; round++) {
    try {
      return await runIdempotentOnce(db, request, effect);
    } catch (error) {
      // Another request with this key stored its answer while this one ran: this one's effect
      // is rolled back, and the next round replays the stored answer.
      if (!(error instanceof AnsweredMeanwhile) || round >= 3) throw error;
    }
  }
}

/** Rolls back an effect whose key got an answer from another request in the meantime. */
class AnsweredMeanwhile extends Error {}

async function runIdempotentOnce(
  db: Database,
  request: IdempotentRequest,
  effect: (tx: Transaction) => Promise<EffectResult>,
): Promise<IdempotentResponse> {
  let onCommit: (() => void) | undefined;
  let refusal: AppError | undefined;
  const { scope, key } = request;
  const now = new Date();
  const response = await inTransaction(db, async (tx) => {
    onCommit = undefined;
    refusal = undefined;
    if (key !== undefined) {
      if (!(await tryLockIdempotencyKey(tx, scope, key))) {
        throw new AppError(
          'idempotency_key_in_use',
          409,
          'Another request with this Idempotency-Key is in progress; retry after it finishes',
          { type: 'idempotency_error' },
        );
      }
      const stored = await findIdempotencyKey(tx, scope, key, now);
      if (stored) return replay(stored, request.fingerprint);
    }
    let result: EffectResult;
    try {
      result = await effect(tx);
    } catch (error) {
      if (error instanceof AppError && error.httpStatus < 500) refusal = error;
      throw error;
    }
    const body = JSON.stringify(result.body);
    if (key !== undefined) {
      const stored = storedResponse(request, now, result.status, body);
      if (!(await insertIdempotencyKeyIfAbsent(tx, stored))) throw new AnsweredMeanwhile();
    }
    onCommit = result.onCommit;
    return { status: result.status, body, isReplay: false };
  }).catch((error: unknown) => {
    if (refusal !== undefined && error === refusal) return undefined;
    throw error;
  });
  if (response) {
    onCommit?.();
    return response;
  }

  // The effect refused the request (4xx) and its writes were rolled back with it: store the
  // refusal on its own, unless a duplicate stored an answer in between (then that one stands).
  const refused = refusal as AppError;
  const body = JSON.stringify(renderError(refused, request.requestId));
  if (key === undefined) return { status: refused.httpStatus, body, isReplay: false };
  return inTransaction(db, async (tx) => {
    const stored = storedResponse(request, now, refused.httpStatus, body);
    if (await insertIdempotencyKeyIfAbsent(tx, stored)) {
      return { status: refused.httpStatus, body, isReplay: false };
    }
    const answer = await findIdempotencyKey(tx, scope, key, now);
    return answer
      ? replay(answer, request.fingerprint)
      : { status: refused.httpStatus, body, isReplay: false };
  });
}

function replay(stored: IdempotencyRow, fingerprint: string): IdempotentResponse {
  if (stored.requestHash !== fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      422,
      'This Idempotency-Key was used with a different request; use a new key for a new request',
      { type: 'idempotency_error' },
    );
  }
  return { status: stored.responseStatus, body: stored.responseBody, isReplay: true };
}

function storedResponse(request: IdempotentRequest, now: Date, status: number, body: string) {
  return {
    scope: request.scope,
    key: request.key as string,
    requestHash: request.fingerprint,
    responseStatus: status,
    responseBody: body,
    createdAt: now,
    expiresAt: new Date(now.getTime() + request.ttlSeconds * 1000),
  };
}

/** SHA-256 of method, path and the body as canonical JSON (keys sorted at every level). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return sha256Hex(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? {})}`);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
