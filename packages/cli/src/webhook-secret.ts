import { createHmac } from 'node:crypto';

/**
 * The signing secret `expe listen` uses for a key: HMAC-SHA256 of the key id under the secret
 * key itself. The same key always gives the same `whsec_`, so an app configured once keeps
 * verifying across restarts of `expe listen`; another key (or a rolled one) gives another.
 * Nobody without the secret key can compute it.
 */
export function deriveListenSecret(apiKey: string, keyId: string): string {
  const digest = createHmac('sha256', apiKey).update(`expe-cli-listen:${keyId}`).digest();
  return `whsec_${digest.toString('base64url').slice(0, 32)}`;
}

/** `Expe-Signature` exactly as the webhooks service writes it. */
export function signPayload(secret: string, body: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}
