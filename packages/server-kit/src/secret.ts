import { createSecretKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * Holds a secret so that it cannot end up in a log line, a JSON body or an error message by
 * accident: every way of printing it shows `[redacted]`. `reveal()` is the only way out.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}

const hmacKeys = new WeakMap<Secret, KeyObject>();

/**
 * The secret as an HMAC key object, made once per Secret. Handed a string, jsonwebtoken tries
 * to parse it as a PEM public and private key on every sign and verify before falling back to
 * a secret key: the largest single cost of a request in the profile (issue 9).
 */
export function hmacKeyOf(secret: Secret): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret.reveal(), 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}
