import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

type HeaderOperation = readonly [name: string, value: string | number | readonly string[] | null];

/**
 * The edge's security and CORS headers without running helmet's dozen middleware and the cors
 * package for every request (issue 23: the gateway's own CPU per request).
 *
 * `helmet` writes the same headers whatever the request (no nonce functions are configured),
 * and `cors`, for a request with no `Origin` that is not a preflight, writes the same headers
 * for every such request. Both are run once here, on a stand-in request and answer, and what
 * they did is replayed on each answer in the same order. A request with an `Origin` header or an
 * `OPTIONS` request is a browser's, whose answer depends on it: it gets the replayed security
 * headers and then the cors middleware itself, as before.
 */
export function edgeHeaders(security: RequestHandler, cors: RequestHandler): RequestHandler {
  const securityHeaders = recordHeaders(security, 'GET');
  const withoutOrigin = [...securityHeaders, ...recordHeaders(cors, 'GET')];
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'OPTIONS' && req.headers.origin === undefined) {
      replay(res, withoutOrigin);
      next();
      return;
    }
    replay(res, securityHeaders);
    cors(req, res, next);
  };
}

function replay(res: Response, operations: readonly HeaderOperation[]): void {
  for (const [name, value] of operations) {
    if (value === null) res.removeHeader(name);
    else res.setHeader(name, value);
  }
}

/**
 * The header writes a middleware makes on an answer to `method` with no headers at all. It must
 * finish at once and only set or remove headers; anything else is a mistake of the caller.
 */
function recordHeaders(middleware: RequestHandler, method: string): HeaderOperation[] {
  const operations: HeaderOperation[] = [];
  const headers = new Map<string, HeaderOperation[1]>();
  const req = { method, headers: {}, url: '/', originalUrl: '/' } as unknown as IncomingMessage;
  const res = {
    getHeader: (name: string) => headers.get(name.toLowerCase()) ?? undefined,
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), value);
      operations.push([name, value]);
      return res;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
      operations.push([name, null]);
    },
  };
  let finished = false;
  middleware(req as Request, res as unknown as Response, (error?: unknown) => {
    if (error) throw new Error('edgeHeaders: the middleware failed', { cause: error });
    finished = true;
  });
  if (!finished) throw new Error('edgeHeaders: the middleware did not pass the request on at once');
  return operations;
}
