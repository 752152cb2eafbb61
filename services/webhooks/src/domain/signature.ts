import { createHmac } from 'node:crypto';

/**
 * `Expe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`, with one
 * `v1` per secret that still signs, so a receiver mid-rotation accepts either.
 */
export function signatureHeader(
  rawBody: string,
  secrets: readonly string[],
  timestamp: number,
): string {
  const signed = `${timestamp}.${rawBody}`;
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(signed).digest('hex')}`,
  );
  return [`t=${timestamp}`, ...signatures].join(',');
}
