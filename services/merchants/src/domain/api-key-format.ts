import { randomBase62, sha256Hex } from '@expe/server-kit';
import type { Mode } from '@expe/contracts';

export interface SecretMaterial {
  /** Shown to the merchant once, in the create or roll response; never stored. */
  secret: string;
  secretHash: string;
  secretLast4: string;
}

export interface PublishableMaterial {
  publishable: string;
  publishableHash: string;
}

export function generateSecret(mode: Mode): SecretMaterial {
  const secret = `sk_${mode}_${randomBase62(32)}`;
  return { secret, secretHash: sha256Hex(secret), secretLast4: secret.slice(-4) };
}

export function generatePublishable(mode: Mode): PublishableMaterial {
  const publishable = `pk_${mode}_${randomBase62(24)}`;
  return { publishable, publishableHash: sha256Hex(publishable) };
}

/** `sk_test_…p7dc`: enough to recognise a key, useless to an attacker. */
export function maskSecret(mode: Mode, last4: string): string {
  return `sk_${mode}_…${last4}`;
}
