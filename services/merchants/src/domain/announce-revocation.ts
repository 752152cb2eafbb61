import { publishRevocation, type CredentialRevocation, type Redis } from '@expe/server-kit';
import type { ApiKeyDetails } from './api-key-details.js';

/**
 * Tells every gateway replica that credentials ended, so the WebSockets subscribed with them
 * close at once (or, for a rolled secret, when its grace period ends). Called after the change
 * commits: the database stays the source of truth, and a lost message is caught by the
 * sockets' periodic re-check.
 */
export type AnnounceRevocation = (revocation: CredentialRevocation) => Promise<void>;

export function revocationAnnouncer(redis: Redis, keyPrefix: string): AnnounceRevocation {
  return (revocation) => publishRevocation(redis, keyPrefix, revocation);
}

/** A roll ends the key's earlier secrets (each at the end of its grace), not the key. */
export async function announceRolledSecrets(
  announce: AnnounceRevocation,
  details: ApiKeyDetails,
): Promise<void> {
  for (const secret of details.secrets) {
    if (!secret.expiresAt) continue;
    await announce({
      kind: 'api_key_secret',
      ids: [secret.secretHash],
      reason: 'api_key_rolled',
      at: secret.expiresAt.toISOString(),
    });
  }
}
