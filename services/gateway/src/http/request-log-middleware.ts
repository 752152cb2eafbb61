import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { AppError, keyScope, type Principal, type Scope } from '@expe/server-kit';

/**
 * The API request log of a project (`expe logs tail`, `GET /v1/request_logs`): method, path,
 * status, latency, request id and key id of each request made with the project's API keys.
 * Never bodies, query strings, headers or credentials. Kept in Redis (what may be lost): the
 * newest `maxEntries` per project and mode, for `ttlSeconds`. A project is the boundary, so two
 * projects of one merchant never read each other's requests. (Lists of the previous layout,
 * `request_logs:<merchant>:<mode>`, are no longer read and expire within `ttlSeconds`.)
 */
export interface RequestLogEntry {
  id: string;
  object: 'request_log';
  method: string;
  path: string;
  status: number;
  latency_ms: number;
  key_id: string;
  livemode: boolean;
  created: number;
}

/**
 * What the log shows for a request a merchant user's session made (`Expe-Project`). Not the
 * session id: that is the session's revocation handle, and every secret key of the project
 * reads this log. Not the user id either: a merchant has one user, so it would tell the reader
 * nothing this marker does not, while keeping a person's identifier in a log keys can read.
 */
export const dashboardSessionKeyId = 'dashboard_session';

const maxEntries = 1000;
const ttlSeconds = 7 * 24 * 3600;
const listPath = '/request_logs';

const logKey = (scope: Scope) => `request_logs:${scope.projectId}:${scope.mode}`;

/** The request log's middleware, and what writes its buffered entries out. */
export interface RequestLogMiddleware {
  (req: Request, res: Response, next: NextFunction): Promise<void>;
  /** Writes the entries not written yet (the gateway calls it when it shuts down). */
  flush(): Promise<void>;
}

/**
 * Mounted under `/v1` after authentication: records API-key requests and serves the log.
 *
 * Entries are written in batches, not one transaction per request (issue 23: the log was a
 * third of the gateway's Redis commands): an entry waits at most `flushIntervalMs` in the
 * gateway, and every project's entries of that span go to Redis in one pipeline (one LPUSH of
 * them all, LTRIM and EXPIRE per project). A listing writes this gateway's waiting entries
 * first, so a caller always finds its own earlier requests; an entry of another gateway replica
 * shows up within `flushIntervalMs`.
 */
export function requestLogMiddleware(
  redis: Redis,
  options: { flushIntervalMs?: number } = {},
): RequestLogMiddleware {
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  /** Entries not written yet, oldest first, per log key. */
  let waiting = new Map<string, string[]>();
  let timer: NodeJS.Timeout | undefined;

  async function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.size === 0) return;
    const batch = waiting;
    waiting = new Map();
    const pipeline = redis.pipeline();
    for (const [key, entries] of batch) {
      // LPUSH puts each entry at the head in turn: the newest ends up first.
      pipeline
        .lpush(key, ...entries)
        .ltrim(key, 0, maxEntries - 1)
        .expire(key, ttlSeconds);
    }
    // Best effort: the log never fails or slows a request.
    await pipeline.exec().catch(() => undefined);
  }

  function record(key: string, entry: RequestLogEntry) {
    let entries = waiting.get(key);
    if (!entries) waiting.set(key, (entries = []));
    entries.push(JSON.stringify(entry));
    // Only the newest maxEntries are kept in Redis anyway.
    if (entries.length > maxEntries) entries.shift();
    timer ??= setTimeout(() => void flush(), flushIntervalMs);
  }

  const middleware = async (req: Request, res: Response, next: NextFunction) => {
    const principal = res.locals.principal as Principal | undefined;
    // The prefix first: req.path parses the URL, and only a listing needs it.
    if (req.method === 'GET' && req.url.startsWith(listPath) && req.path === listPath) {
      await flush();
      await listRequestLogs(redis, principal, req, res);
      return;
    }
    if (principal?.kind === 'api_key') {
      const started = performance.now();
      res.once('finish', () => {
        record(logKey(keyScope(principal)), {
          id: String(res.locals.requestId),
          object: 'request_log',
          method: req.method,
          // The route only: query strings may carry emails and other filters.
          path: req.originalUrl.split('?')[0] ?? '',
          status: res.statusCode,
          latency_ms: Math.round(performance.now() - started),
          key_id: principal.keyId.startsWith('key_') ? principal.keyId : dashboardSessionKeyId,
          livemode: principal.mode === 'live',
          created: Math.floor(Date.now() / 1000),
        });
      });
    }
    next();
  };
  return Object.assign(middleware, { flush });
}

async function listRequestLogs(
  redis: Redis,
  principal: Principal | undefined,
  req: Request,
  res: Response,
) {
  if (principal?.kind !== 'api_key' || principal.keyType !== 'secret') {
    throw AppError.of('secret_key_required', 'The request log needs a secret key (sk_…)');
  }
  const query = req.query as Record<string, unknown>;
  const limit = query.limit === undefined ? 10 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw AppError.of('parameter_invalid', 'limit must be an integer from 1 to 100', {
      param: 'limit',
    });
  }
  const entries = (await redis.lrange(logKey(keyScope(principal)), 0, maxEntries - 1)).map(
    (text) => JSON.parse(text) as RequestLogEntry,
  );
  const cursor = (name: string) => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      throw AppError.of('parameter_invalid', `${name} must be a request id`, { param: name });
    }
    const index = entries.findIndex((entry) => entry.id === value);
    if (index < 0) {
      throw AppError.of('resource_missing', `No such request log: '${value}'`, {
        param: name,
      });
    }
    return index;
  };
  const after = cursor('starting_after');
  const before = cursor('ending_before');
  // Newest first; ending_before gives the entries just newer than the cursor.
  const page =
    before !== undefined
      ? entries.slice(Math.max(0, before - limit), before)
      : entries.slice(after === undefined ? 0 : after + 1, (after ?? -1) + 1 + limit);
  const more =
    before !== undefined ? before - limit > 0 : (after ?? -1) + 1 + limit < entries.length;
  res.json({ object: 'list', data: page, has_more: more });
}
