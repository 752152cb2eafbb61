import type { LookupAddress, LookupOptions } from 'node:dns';
import { Agent, request } from 'undici';
import {
  checkUrlShape,
  policyForUrl,
  resolveVetted,
  UrlRefusedError,
  type ResolveHost,
  type UrlPolicy,
} from './url-guard.js';

export const maxExcerptBytes = 1024;

export interface SendResult {
  isSuccess: boolean;
  statusCode: number | null;
  latencyMs: number | null;
  responseExcerpt: string | null;
  error: string | null;
}

export interface WebhookSender {
  send(request: {
    url: string;
    body: string;
    headers: Record<string, string>;
    policy: UrlPolicy;
  }): Promise<SendResult>;
  close(): Promise<void>;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A socket-level DNS lookup that resolves the name itself, vets every address, and hands the
 * socket only a vetted one: the address checked is the address connected to, whatever DNS
 * says a moment later. Host header and TLS SNI still carry the URL's name.
 */
function guardedLookup(policy: UrlPolicy, resolve: ResolveHost) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolveVetted(hostname, policy, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const chosen = addresses.find((entry) => !wanted || entry.family === wanted);
        if (!chosen) {
          callback(new UrlRefusedError(`${hostname} has no usable address`), '');
        } else if (options.all) {
          callback(null, [chosen]);
        } else {
          callback(null, chosen.address, chosen.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** Cuts text to at most `limit` UTF-8 bytes, on a character boundary. */
export function truncateUtf8(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  let size = 0;
  let out = '';
  for (const char of text) {
    size += Buffer.byteLength(char);
    if (size > limit) break;
    out += char;
  }
  return out;
}

/** The first `limit` bytes of a body as text, without a half character at the cut. */
async function readExcerpt(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break;
  }
  // `stream: true` holds back an incomplete character at the end instead of mangling it.
  const text = new TextDecoder('utf-8').decode(Buffer.concat(chunks).subarray(0, limit), {
    stream: true,
  });
  // PostgreSQL text cannot hold NUL; replacement characters for invalid bytes can grow the text
  // past the limit, hence the second cut.
  return truncateUtf8(text.replaceAll('\u0000', '\uFFFD'), limit);
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof UrlRefusedError) return `Refused by the SSRF guard: ${error.reason}`;
  const candidate = error as { name?: string; code?: string; message?: string; cause?: unknown };
  if (candidate?.cause instanceof UrlRefusedError) {
    return `Refused by the SSRF guard: ${candidate.cause.reason}`;
  }
  if (candidate?.name === 'TimeoutError' || candidate?.name === 'AbortError') {
    return `No response within ${timeoutMs} ms`;
  }
  if (candidate?.code?.startsWith('UND_ERR_') && candidate.code.includes('TIMEOUT')) {
    return `No response within ${timeoutMs} ms`;
  }
  const message = candidate?.message ?? String(error);
  return candidate?.code && !message.includes(candidate.code)
    ? `${candidate.code}: ${message}`
    : message;
}

/**
 * POSTs webhooks through the SSRF guard: the scheme and IP literals are checked before the
 * request, host names at connection time. No redirect is followed (a 3xx is a failed
 * attempt), and the whole attempt, body excerpt included, ends after `timeoutMs`.
 */
export function createWebhookSender(options: {
  timeoutMs: number;
  resolve: ResolveHost;
}): WebhookSender {
  const agents = new Map<string, Agent>();
  const agentFor = (policy: UrlPolicy) => {
    const key = `${policy.requireHttps}:${policy.allowLoopback}`;
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: { lookup: guardedLookup(policy, options.resolve), timeout: options.timeoutMs },
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        keepAliveTimeout: 30_000,
      });
      agents.set(key, agent);
    }
    return agent;
  };

  return {
    async send({ url, body, headers, policy }) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      try {
        const target = new URL(url);
        checkUrlShape(target, policy);
        const signal = AbortSignal.timeout(options.timeoutMs);
        const response = await request(url, {
          method: 'POST',
          headers,
          body,
          // Loopback is off for the platform's own ports, whatever the name resolves to.
          dispatcher: agentFor(policyForUrl(target, policy)),
          signal,
        });
        const latencyMs = elapsed();
        let responseExcerpt: string | null = null;
        try {
          responseExcerpt = await readExcerpt(response.body, maxExcerptBytes);
        } catch {
          // The status decides the outcome; a body that breaks off only loses the excerpt.
        } finally {
          // The rest of the body is not wanted; dropping it frees the connection.
          response.body.destroy();
        }
        const { statusCode } = response;
        const isSuccess = statusCode >= 200 && statusCode < 300;
        let error: string | null = null;
        if (statusCode >= 300 && statusCode < 400) {
          error = `Redirects are not followed (HTTP ${statusCode})`;
        } else if (!isSuccess) {
          error = `The endpoint answered HTTP ${statusCode}`;
        }
        return { isSuccess, statusCode, latencyMs, responseExcerpt, error };
      } catch (error) {
        return {
          isSuccess: false,
          statusCode: null,
          latencyMs: error instanceof UrlRefusedError ? null : elapsed(),
          responseExcerpt: null,
          error: describeError(error, options.timeoutMs),
        };
      }
    },
    async close() {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}
