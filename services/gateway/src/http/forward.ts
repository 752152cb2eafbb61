import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { Pool, type Dispatcher } from 'undici';
import {
  AppError,
  identityHeader,
  signIdentity,
  withTraceContext,
  type IdentitySigner,
} from '@expe/server-kit';

// Hop-by-hop headers (RFC 9110 §7.6.1) and the caller's credentials never travel upstream: the
// signed identity replaces them.
const droppedRequestHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  // express.raw has already inflated a gzip/deflate body: the service gets it plain.
  'content-encoding',
  'authorization',
  identityHeader,
  'x-request-id',
  'x-forwarded-for',
]);
const droppedResponseHeaders = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
  'request-id',
]);

export interface UpstreamOptions {
  baseUrl: string;
  signer: IdentitySigner;
  /** The service's name: the `aud` of the identity signed for it. */
  audience: string;
  timeoutMs: number;
  /** Most open connections to the service; further requests wait in the pool's queue. */
  connections: number;
  /** Requests in flight (sent or queued) before new ones are shed with 503 + Retry-After. */
  maxInFlight: number;
  passCookies: boolean;
}

export interface Upstream {
  /** Sends the (already size-checked) request to the service with the caller's signed identity. */
  forward(req: Request, res: Response): Promise<void>;
  close(): Promise<void>;
}

/**
 * One service behind the gateway: a keep-alive connection pool of bounded size, and load
 * shedding in front of it. When the service is slow, requests pile up here; past `maxInFlight`
 * the gateway answers 503 with Retry-After at once instead of queueing more, and a service that
 * does not answer is a 503 too — never a 502 the client cannot act on.
 */
export function createUpstream(options: UpstreamOptions): Upstream {
  const pool = new Pool(options.baseUrl, {
    connections: options.connections,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  let inFlight = 0;

  async function forward(req: Request, res: Response): Promise<void> {
    if (inFlight >= options.maxInFlight) {
      throw AppError.of('service_unavailable', 'The platform is busy; retry after the given time', {
        headers: { 'Retry-After': '1' },
      });
    }
    const headers: Record<string, string> = {};
    const incoming = req.headers;
    for (const name in incoming) {
      const value = incoming[name];
      if (value === undefined || droppedRequestHeaders.has(name)) continue;
      if (name === 'cookie' && !options.passCookies) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    headers['x-request-id'] = res.locals.requestId;
    headers[identityHeader] = signIdentity(options.signer, res.locals.principal, {
      audience: options.audience,
      clientIp: res.locals.clientIp,
    });
    withTraceContext(headers);
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
    inFlight += 1;
    try {
      const send = () =>
        exchange(pool, { path: req.originalUrl, method: req.method, headers, body });
      let upstream;
      try {
        upstream = await send().catch((error: unknown) => {
          // A pod that is shutting down may close a keep-alive connection just as the request
          // goes out on it. Nothing reached the service then, or the request is safe to repeat
          // (a read, or a write under an Idempotency-Key): try once more, on a new connection.
          if (!isConnectionLost(error) || !isSafeToRepeat(req)) throw error;
          return send();
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
      // undici's status is an integer from 200 on: res.status's checks have nothing to refuse.
      res.statusCode = upstream.statusCode;
      const answered = upstream.headers;
      for (const name in answered) {
        const value = answered[name];
        if (value === undefined || droppedResponseHeaders.has(name)) continue;
        res.setHeader(name, value);
      }
      res.end(upstream.body);
    } finally {
      inFlight -= 1;
    }
  }

  return { forward, close: () => pool.close() };
}

interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request to the service and its whole answer. The pool's dispatcher is driven directly:
 * `pool.request` wraps every answer in a Readable and a body mixin that the gateway only reads
 * to the end (issue 23: the proxy's own CPU per request).
 */
function exchange(pool: Pool, options: Dispatcher.DispatchOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answer: Omit<Answer, 'body'> | undefined;
    const chunks: Buffer[] = [];
    pool.dispatch(options, {
      // Its presence is what tells undici this handler speaks the controller API.
      onRequestStart() {},
      onResponseStart(_controller, statusCode, headers) {
        // 1xx (100 Continue) are interim: the answer follows.
        if (statusCode >= 200) answer = { statusCode, headers };
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (!answer) return reject(new Error('the service closed without an answer'));
        resolve({ ...answer, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}

const connectionLostCodes = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
]);

/** The connection failed or closed before any byte of an answer (not a slow answer). */
function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && connectionLostCodes.has(code);
}

function isSafeToRepeat(req: Request): boolean {
  return (
    req.method === 'GET' ||
    req.method === 'HEAD' ||
    req.method === 'OPTIONS' ||
    req.header('idempotency-key') !== undefined
  );
}
