import express, { type RequestHandler } from 'express';
import { AppError } from './errors.js';

/** Renders a path the way Stripe names parameters: `card[number]`, `metadata[order]`. */
export function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return (head ?? '') + rest.map((part) => `[${part}]`).join('');
}

/**
 * How large a decoded request body may be as a tree. No route takes more than a few levels or a
 * few hundred values; the limits only keep a hostile body (3,000 nested arrays fit in 6 KB) from
 * costing more than its bytes.
 */
export interface BodyShapeLimits {
  /** Most nested objects and arrays, the outermost counting as 1. */
  maxDepth: number;
  /** Most values in the whole body: objects, arrays and scalars. */
  maxNodes: number;
}

export const defaultBodyShapeLimits: BodyShapeLimits = { maxDepth: 32, maxNodes: 10_000 };

/** One value still to visit; the path is rebuilt from `parent` only when a value is refused. */
interface Visit {
  value: unknown;
  depth: number;
  key: PropertyKey | undefined;
  parent: Visit | undefined;
}

function pathOf(visit: Visit | undefined, key?: PropertyKey): PropertyKey[] {
  const path: PropertyKey[] = key === undefined ? [] : [key];
  for (let at = visit; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}

function invalidAt(path: PropertyKey[], problem: string): AppError {
  const param = paramName(path);
  return AppError.of('parameter_invalid', `Invalid ${param || 'request'}: ${problem}`, {
    param: param || undefined,
  });
}

/**
 * Walks a decoded body once, iteratively (an explicit stack, so no depth can overflow the call
 * stack), and refuses what no route may receive, before any route's own validation:
 * - nesting deeper than `maxDepth` → 400 `body_too_deep`, more than `maxNodes` values → 400
 *   `body_too_complex`;
 * - a NUL character in a key or string → 400 naming it: PostgreSQL stores no `\u0000` in text or
 *   jsonb, so it would fail at the database as a 500 after part of the work was done;
 * - a `__proto__` key → 400 naming it: JSON.parse keeps it as an own key, but every object built
 *   from it (zod's output too) drops it silently, so the client would never learn it was ignored.
 */
export function checkBodyShape(input: unknown, limits = defaultBodyShapeLimits): void {
  const stack: Visit[] = [{ value: input, depth: 1, key: undefined, parent: undefined }];
  let nodes = 0;
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    nodes += 1;
    if (nodes > limits.maxNodes) {
      throw AppError.of(
        'body_too_complex',
        `Request body has more than ${limits.maxNodes} values (the limit)`,
      );
    }
    const { value } = visit;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        throw invalidAt(pathOf(visit), 'must not contain the NUL character (\\u0000)');
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (visit.depth > limits.maxDepth) {
      throw AppError.of(
        'body_too_deep',
        `Request body is nested more than ${limits.maxDepth} levels deep (the limit)`,
      );
    }
    const children: Visit[] = [];
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) =>
        children.push({ value: item, depth: visit.depth + 1, key: index, parent: visit }),
      );
    } else {
      for (const key of Object.keys(value)) {
        if (key.includes('\u0000')) {
          throw invalidAt(pathOf(visit, key), 'must not contain the NUL character (\\u0000)');
        }
        if (key === '__proto__') throw invalidAt(pathOf(visit, key), 'is not an allowed key');
        const item = (value as Record<string, unknown>)[key];
        children.push({ value: item, depth: visit.depth + 1, key, parent: visit });
      }
    }
    // Reversed, so values are visited in document order and the first bad one is named.
    for (let index = children.length - 1; index >= 0; index -= 1) {
      stack.push(children[index] as Visit);
    }
  }
}

/** The codings a request body may arrive in; anything else is a 415. */
export const supportedContentEncodings: readonly string[] = ['identity', 'gzip', 'deflate', 'br'];

/** What body-parser (and the zlib stream under it) throws, as the API error the client can act on. */
function toBodyError(error: unknown): unknown {
  const failure = error as { type?: unknown; status?: unknown; encoding?: unknown } | undefined;
  switch (failure?.type) {
    case 'entity.too.large':
      // Counted after decoding: a small compressed body that inflates past the limit lands here.
      return tooLarge();
    case 'entity.parse.failed':
      return AppError.of('invalid_json', 'Request body is not valid JSON');
    case 'encoding.unsupported':
      return unsupportedEncoding(typeof failure.encoding === 'string' ? failure.encoding : '');
    case 'charset.unsupported':
      return AppError.of('parameter_invalid', 'Unsupported request charset', {
        param: 'Content-Type',
      });
    case 'request.size.invalid':
      return AppError.of('parameter_invalid', 'Request body does not match its Content-Length', {
        param: 'Content-Length',
      });
    case 'request.aborted':
      return AppError.of('parameter_invalid', 'Request body ended before it was complete');
  }
  // Any other client error is the decompressor refusing the bytes (zlib's Z_DATA_ERROR and
  // Z_BUF_ERROR, brotli's ERR_… codes): the body is not what its Content-Encoding says.
  if (typeof failure?.status === 'number' && failure.status >= 400 && failure.status < 500) {
    return AppError.of(
      'parameter_invalid',
      'Request body is not encoded as its Content-Encoding header says',
      { param: 'Content-Encoding' },
    );
  }
  return error;
}

function unsupportedEncoding(encoding: string): AppError {
  return AppError.of(
    'unsupported_content_encoding',
    `Unsupported Content-Encoding "${encoding.slice(0, 100)}": send the body as ${supportedContentEncodings.join(', ')} (one coding)`,
    { param: 'Content-Encoding' },
  );
}

/** `100kb`, `1mb`, `512` (bytes; units of 1024 as body-parser counts them) as a number of bytes. */
function byteCount(limit: string | number): number {
  if (typeof limit === 'number') return limit;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!match) throw new Error(`Invalid body limit: ${limit}`);
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return Math.floor(Number(match[1]) * (units[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

function tooLarge(): AppError {
  return AppError.of('request_too_large', 'Request body is too large');
}

export interface RequestBodyOptions {
  /** Most bytes after decoding, in body-parser's notation (`100kb`). */
  limit: string | number;
  /**
   * `json`: parsed when the Content-Type is JSON, then walked by `checkBodyShape` (the services);
   * `form`: `application/x-www-form-urlencoded` with bracket notation (`metadata[order]=…`, at
   * most 1,000 parameters), then walked the same way (the Stripe-compatible listener);
   * `raw`: the decoded bytes as a Buffer, whatever the type (the gateway forwards them).
   */
  as: 'json' | 'form' | 'raw';
  shape?: BodyShapeLimits;
}

/**
 * Reads a request body the one way every Expe deployable does. Each Content-Encoding is either
 * decoded within `limit` (counted on the decoded bytes, so a decompression bomb is a 413, and on
 * the bytes received too, so a stream that decodes to little — empty gzip members one after
 * another — cannot keep the decoder busy without end), or refused: an unknown or stacked coding is
 * 415 `unsupported_content_encoding`, bytes that are not in the coding the header names are 400 —
 * both naming `Content-Encoding`. Never a 500.
 */
export function readRequestBody(options: RequestBodyOptions): RequestHandler {
  const shape = options.shape ?? defaultBodyShapeLimits;
  const limitBytes = byteCount(options.limit);
  const parse = {
    json: () => express.json({ limit: options.limit, strict: true }),
    form: () => express.urlencoded({ extended: true, limit: options.limit, parameterLimit: 1000 }),
    raw: () => express.raw({ type: () => true, limit: options.limit }),
  }[options.as]();
  return (req, res, next) => {
    const encoding = req.headers['content-encoding']?.toLowerCase();
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
    if (hasBody && encoding !== undefined && !supportedContentEncodings.includes(encoding)) {
      next(unsupportedEncoding(encoding));
      return;
    }
    if (!hasBody) {
      // What body-parser does for a request without a body (a GET, nearly every request the
      // gateway forwards), without its work per request (issue 23).
      if (!('body' in (req as object))) req.body = undefined;
      next();
      return;
    }
    let isSettled = false;
    const settle = (error?: unknown) => {
      if (isSettled) return;
      isSettled = true;
      next(error);
    };
    const isEncoded = hasBody && encoding !== undefined && encoding !== 'identity';
    if (isEncoded) {
      if (Number(req.headers['content-length']) > limitBytes) {
        settle(tooLarge());
        return;
      }
      // body-parser counts only what the decoder puts out; count what comes in as well.
      let received = 0;
      const countReceived = (chunk: Buffer) => {
        received += chunk.length;
        if (received <= limitBytes) return;
        req.off('data', countReceived);
        req.unpipe();
        res.setHeader('Connection', 'close');
        res.once('finish', () => req.destroy());
        settle(tooLarge());
      };
      req.on('data', countReceived);
    }
    void parse(req, res, (error?: unknown) => {
      if (error) {
        settle(toBodyError(error));
        return;
      }
      if (options.as !== 'raw' && req.body !== undefined) {
        try {
          checkBodyShape(req.body, shape);
        } catch (refusal) {
          settle(refusal);
          return;
        }
      }
      settle();
    });
  };
}
