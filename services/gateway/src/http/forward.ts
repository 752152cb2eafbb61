import type { Request, Response } from 'express';
import { request } from 'undici';
import {
  AppError,
  identityHeader,
  signIdentity,
  withTraceContext,
  type Secret,
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

/** Sends the (already size-checked) request to a service with the caller's signed identity. */
export async function forward(
  req: Request,
  res: Response,
  options: { baseUrl: string; secret: Secret; timeoutMs: number; passCookies: boolean },
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || droppedRequestHeaders.has(name)) continue;
    if (name === 'cookie' && !options.passCookies) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-request-id'] = res.locals.requestId;
  withTraceContext(headers);
  headers[identityHeader] = signIdentity(options.secret, res.locals.principal, {
    requestId: res.locals.requestId,
    clientIp: res.locals.clientIp,
  });
  const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
  let upstream;
  try {
    upstream = await request(new URL(req.originalUrl, options.baseUrl), {
      method: req.method as 'GET',
      headers,
      body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    throw AppError.of('upstream_unavailable', 'The service behind this route did not answer', {
      cause: error,
    });
  }
  res.status(upstream.statusCode);
  for (const [name, value] of Object.entries(upstream.headers)) {
    if (value === undefined || droppedResponseHeaders.has(name)) continue;
    res.setHeader(name, value);
  }
  const buffer = Buffer.from(await upstream.body.arrayBuffer());
  res.end(buffer);
}
