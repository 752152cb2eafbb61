import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Event as EventResource } from './generated/api-types.js';

export type WebhookSignatureFailure =
  /** The header is not `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
  | 'malformed_header'
  /** The header has a timestamp but no `v1` signature. */
  | 'no_signatures'
  /** No `v1` matches the body and timestamp under any of the secrets. */
  | 'signature_mismatch'
  /** The signature is right but older (or newer) than the tolerance: a possible replay. */
  | 'timestamp_outside_tolerance'
  /** Signed correctly, but the body is not JSON. */
  | 'invalid_payload';

export class WebhookSignatureError extends Error {
  constructor(
    readonly reason: WebhookSignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

interface ParsedHeader {
  timestamp: number;
  signatures: Buffer[];
}

function parseHeader(header: string): ParsedHeader {
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) {
      throw new WebhookSignatureError('malformed_header', 'Expe-Signature has a part without =');
    }
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) {
        throw new WebhookSignatureError(
          'malformed_header',
          'Expe-Signature needs one t=<unix seconds>',
        );
      }
      timestamp = Number(value);
    } else if (key === 'v1') {
      // Anything but 32 bytes of hex cannot match; it is skipped rather than trusted.
      if (/^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (a future v2) are ignored, so old SDKs keep working.
  }
  if (timestamp === undefined) {
    throw new WebhookSignatureError('malformed_header', 'Expe-Signature has no t=<unix seconds>');
  }
  return { timestamp, signatures };
}

function hmac(secret: string, timestamp: number, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/**
 * Checks an `Expe-Signature` header against the raw request body (the exact bytes received,
 * before any JSON parsing) and returns the parsed event. Pass every secret that may sign:
 * during a rotation, the old and the new one; any `v1` matching any secret is accepted.
 * Comparisons are constant-time. Throws {@link WebhookSignatureError} with a `reason`.
 *
 * `toleranceSeconds` bounds how far the signed timestamp may be from `now` (replay
 * protection); 0 or less turns the check off.
 */
export function verifyWebhookSignature<T = EventResource>(
  rawBody: string | Buffer,
  header: string,
  secrets: string | readonly string[],
  toleranceSeconds = 300,
  now = Date.now(),
): T {
  const candidates = typeof secrets === 'string' ? [secrets] : [...secrets];
  if (candidates.length === 0 || candidates.some((secret) => !secret)) {
    throw new TypeError('verifyWebhookSignature needs at least one non-empty secret');
  }
  if (typeof header !== 'string' || header.length === 0 || header.length > 4096) {
    throw new WebhookSignatureError('malformed_header', 'Expe-Signature header is missing');
  }
  const { timestamp, signatures } = parseHeader(header);
  if (signatures.length === 0) {
    throw new WebhookSignatureError('no_signatures', 'Expe-Signature has no v1 signature');
  }
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const expected = candidates.map((secret) => hmac(secret, timestamp, body));
  // Every pair is compared, so the time taken does not depend on which one matched.
  let isMatch = false;
  for (const signature of signatures) {
    for (const candidate of expected) {
      if (timingSafeEqual(signature, candidate)) isMatch = true;
    }
  }
  if (!isMatch) {
    throw new WebhookSignatureError(
      'signature_mismatch',
      'No signature matches the body and timestamp for the given secret(s)',
    );
  }
  if (toleranceSeconds > 0 && Math.abs(now / 1000 - timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError(
      'timestamp_outside_tolerance',
      `The signature timestamp is more than ${toleranceSeconds} s away from now`,
    );
  }
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new WebhookSignatureError('invalid_payload', 'The webhook body is not valid JSON');
  }
}

/**
 * Builds an `Expe-Signature` header the way Expe does, for testing a webhook handler without
 * Expe: sign a body with the endpoint's secret and post it to your own handler.
 */
export function generateWebhookSignatureHeader(
  rawBody: string | Buffer,
  secrets: string | readonly string[],
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const list = typeof secrets === 'string' ? [secrets] : [...secrets];
  const signatures = list.map((secret) => `v1=${hmac(secret, timestamp, body).toString('hex')}`);
  return [`t=${timestamp}`, ...signatures].join(',');
}
