import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { randomBase62, type Secret } from '@expe/server-kit';

const version = 'v1';

/** A new endpoint signing secret: `whsec_` and 32 base62 characters (~190 bits). */
export function generateSigningSecret(): string {
  return `whsec_${randomBase62(32)}`;
}

export interface SecretBox {
  /** Encrypts a signing secret for one endpoint; the ciphertext opens only for that endpoint. */
  seal(endpointId: string, secret: string): string;
  open(endpointId: string, sealed: string): string;
}

/**
 * AES-256-GCM over the signing secrets. The key is derived from the configured key with HKDF,
 * so the configured string can be any length ≥ 32; the endpoint id is the additional
 * authenticated data, so a ciphertext copied onto another endpoint's row fails to open.
 */
export function createSecretBox(encryptionKey: Secret): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', encryptionKey.reveal(), Buffer.alloc(0), 'expe-webhook-secrets/v1', 32),
  );
  return {
    seal(endpointId, secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(endpointId));
      const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
      return [version, ...parts].join('.');
    },
    open(endpointId, sealed) {
      const [prefix, iv, tag, ciphertext] = sealed.split('.');
      if (prefix !== version || !iv || !tag || !ciphertext) {
        throw new Error('unknown signing secret format');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
