import { createCipheriv, createDecipheriv, hash, hkdfSync, randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from './db.js';
import { renderError } from './error-middleware.js';
import { AppError } from './errors.js';
import type { Secret } from './secret.js';
import { withTransaction, type Executor, type Transaction } from './transaction.js';

export const maxIdempotencyKeyLength = 255;

/**
 * Where a service keeps its Idempotency-Key answers: a table `<schema>.idempotency_keys`
 * (scope, key, request_hash, response_status, response_body, created_at, expires_at; primary key
 * (scope, key)), declared in each service schema with `idempotencyKeysTable` (the one shape; the
 * migrations that created them hold it) and mounted once per app by `createServiceApp`.
 */
export interface IdempotencyStore {
  schema: string;
  /**
   * When set, stored bodies are encrypted (AES-256-GCM, key derived from this secret, the scope
   * and key as additional data): for answers that carry a secret shown once (API keys, signing
   * secrets), so a copy of the table does not reveal them.
   */
  sealWith?: Secret | undefined;
}

/**
 * What a use case answers; `onCommit` runs once the transaction has committed. An answer is a
 * status and body, or `refusal`: an error whose writes stand (a declined payment attempt is
 * recorded), committed and rendered as the error middleware renders a thrown AppError (a thrown
 * one rolls the effect back).
 */
export type EffectResult = (
  | {
      status: number;
      /** Sent as JSON; `undefined` sends no body (204). */
      body: unknown;
    }
  | { refusal: AppError }
) & { onCommit?: () => void | Promise<void> };

export interface IdempotentRequest<Prepared = void> {
  /** Whose keys these are (see {@link idempotencyScope}): keys of different callers never meet. */
  scope: string;
  /** The Idempotency-Key header; without one the effect simply runs once. */
  key: string | undefined;
  /** From {@link requestFingerprint}: the same key with another request is refused. */
  fingerprint: string;
  requestId: string;
  ttlSeconds: number;
  /**
   * Work that must happen outside the transaction (a remote call, DNS): it runs only after a
   * stored answer was looked for, so a replay makes no remote call; the effect gets its result.
   */
  prepare?: (() => Promise<Prepared>) | undefined;
}

export interface IdempotentResponse {
  status: number;
  /** The exact bytes to send; a replay sends the first response's bytes again. */
  body: string;
  isReplay: boolean;
}

interface StoredAnswer {
  requestHash: string;
  responseStatus: number;
  responseBody: string;
}

/**
 * Runs a POST's effect at most once per Idempotency-Key, in the same database
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
export async function runIdempotent<Prepared = void>(
  db: Database,
  store: IdempotencyStore,
  request: IdempotentRequest<Prepared>,
  effect: (tx: Transaction, prepared: Prepared) => Promise<EffectResult>,
): Promise<IdempotentResponse> {
  let prepared = undefined as Prepared;
  if (request.prepare) {
    if (request.key !== undefined) {
      const stored = await findStoredAnswer(db, store, request.scope, request.key, new Date());
      if (stored) return replay(store, request, stored);
    }
    prepared = await request.prepare();
  }
  for (let round = 1; ; round++) {
    try {
      return await runIdempotentOnce(db, store, request, (tx) => effect(tx, prepared));
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
  store: IdempotencyStore,
  request: IdempotentRequest<unknown>,
  effect: (tx: Transaction) => Promise<EffectResult>,
): Promise<IdempotentResponse> {
  let onCommit: EffectResult['onCommit'];
  let refusal: AppError | undefined;
  const { scope, key } = request;
  const now = new Date();
  const response = await withTransaction(db, async (tx) => {
    onCommit = undefined;
    refusal = undefined;
    if (key !== undefined) {
      if (!(await tryLockKey(tx, scope, key))) {
        throw new AppError(
          'idempotency_key_in_use',
          409,
          'Another request with this Idempotency-Key is in progress; retry after it finishes',
          { type: 'idempotency_error' },
        );
      }
      const stored = await findStoredAnswer(tx, store, scope, key, now);
      if (stored) return replay(store, request, stored);
    }
    let result: EffectResult;
    try {
      result = await effect(tx);
    } catch (error) {
      if (error instanceof AppError && error.httpStatus < 500) refusal = error;
      throw error;
    }
    const { status, body } = answerOf(result, request.requestId);
    if (key !== undefined) {
      if (!(await storeAnswerIfAbsent(tx, store, request, now, status, body))) {
        throw new AnsweredMeanwhile();
      }
    }
    onCommit = result.onCommit;
    return { status, body, isReplay: false };
  }).catch((error: unknown) => {
    if (refusal !== undefined && error === refusal) return undefined;
    throw error;
  });
  if (response) {
    await onCommit?.();
    return response;
  }

  // The effect refused the request (4xx) and its writes were rolled back with it: store the
  // refusal on its own, unless a duplicate stored an answer in between (then that one stands).
  const refused = refusal as AppError;
  const body = JSON.stringify(renderError(refused, request.requestId));
  if (key === undefined) return { status: refused.httpStatus, body, isReplay: false };
  return withTransaction(db, async (tx) => {
    if (await storeAnswerIfAbsent(tx, store, request, now, refused.httpStatus, body)) {
      return { status: refused.httpStatus, body, isReplay: false };
    }
    const answer = await findStoredAnswer(tx, store, scope, key, now);
    return answer
      ? replay(store, request, answer)
      : { status: refused.httpStatus, body, isReplay: false };
  });
}

/** The status and bytes of an effect's answer; no body (a 204) is stored as no bytes at all. */
function answerOf(result: EffectResult, requestId: string): { status: number; body: string } {
  if ('refusal' in result) {
    return {
      status: result.refusal.httpStatus,
      body: JSON.stringify(renderError(result.refusal, requestId)),
    };
  }
  return {
    status: result.status,
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

function replay(
  store: IdempotencyStore,
  request: IdempotentRequest<unknown>,
  stored: StoredAnswer,
): IdempotentResponse {
  if (stored.requestHash !== request.fingerprint) {
    throw new AppError(
      'idempotency_key_reused',
      422,
      'This Idempotency-Key was used with a different request; use a new key for a new request',
      { type: 'idempotency_error' },
    );
  }
  const body = store.sealWith
    ? openBody(store.sealWith, request, stored.responseBody)
    : stored.responseBody;
  return { status: stored.responseStatus, body, isReplay: true };
}

/** SHA-256 of method, path and the body as canonical JSON (keys sorted at every level). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  // The one-shot hash: the same digest as createHash, without a Hash object per request.
  return hash('sha256', `${method.toUpperCase()} ${path}\n${canonicalJson(body ?? {})}`, 'hex');
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

// ---- storage: one table per service schema, same columns everywhere -------------------------

function table(store: Pick<IdempotencyStore, 'schema'>): SQL {
  return sql`${sql.identifier(store.schema)}.idempotency_keys`;
}

async function rows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/**
 * Takes the key's transaction-scoped advisory lock without waiting: `false` means another
 * request with the same key is running right now.
 */
async function tryLockKey(db: Executor, scope: string, key: string): Promise<boolean> {
  const [row] = await rows<{ locked: boolean }>(
    db,
    sql`select pg_try_advisory_xact_lock(hashtext(${scope} || ${key})) as locked`,
  );
  return row?.locked === true;
}

/** A stored answer that has not expired yet. */
async function findStoredAnswer(
  db: Executor,
  store: IdempotencyStore,
  scope: string,
  key: string,
  now: Date,
): Promise<StoredAnswer | undefined> {
  const [row] = await rows<{
    request_hash: string;
    response_status: number;
    response_body: string;
  }>(
    db,
    sql`select request_hash, response_status, response_body from ${table(store)}
        where scope = ${scope} and key = ${key}
          and expires_at > ${now.toISOString()}::timestamptz`,
  );
  return row
    ? {
        requestHash: row.request_hash,
        responseStatus: row.response_status,
        responseBody: row.response_body,
      }
    : undefined;
}

/**
 * Stores the answer unless a live one is stored already (an expired one is replaced).
 * Returns whether this one was stored.
 */
async function storeAnswerIfAbsent(
  db: Executor,
  store: IdempotencyStore,
  request: IdempotentRequest<unknown>,
  now: Date,
  status: number,
  body: string,
): Promise<boolean> {
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + request.ttlSeconds * 1000).toISOString();
  const stored = store.sealWith ? sealBody(store.sealWith, request, body) : body;
  const inserted = await rows<{ key: string }>(
    db,
    sql`insert into ${table(store)} as t
          (scope, key, request_hash, response_status, response_body, created_at, expires_at)
        values (${request.scope}, ${request.key}, ${request.fingerprint}, ${status}, ${stored},
                ${createdAt}::timestamptz, ${expiresAt}::timestamptz)
        on conflict (scope, key) do update set
          request_hash = excluded.request_hash, response_status = excluded.response_status,
          response_body = excluded.response_body, created_at = excluded.created_at,
          expires_at = excluded.expires_at
        where t.expires_at <= ${createdAt}::timestamptz
        returning key`,
  );
  return inserted.length > 0;
}

/** Deletes up to `limit` expired keys; returns how many went. */
export async function deleteExpiredIdempotencyKeys(
  db: Executor,
  store: Pick<IdempotencyStore, 'schema'>,
  now: Date,
  limit: number,
): Promise<number> {
  const deleted = await rows<{ key: string }>(
    db,
    sql`delete from ${table(store)} where (scope, key) in (
          select scope, key from ${table(store)}
          where expires_at < ${now.toISOString()}::timestamptz limit ${limit})
        returning key`,
  );
  return deleted.length;
}

function sealKey(secret: Secret): Buffer {
  return Buffer.from(
    hkdfSync('sha256', secret.reveal(), Buffer.alloc(0), 'expe-idempotency/v1', 32),
  );
}

function sealBody(secret: Secret, request: IdempotentRequest<unknown>, body: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  cipher.setAAD(Buffer.from(`${request.scope}\n${request.key}`));
  const ciphertext = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

function openBody(secret: Secret, request: IdempotentRequest<unknown>, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !ciphertext) throw new Error('unknown sealed answer');
  const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(`${request.scope}\n${request.key}`));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, 'base64url')),
    decipher.final(),
  ]).toString('utf8');
}
