import type { Redis } from 'ioredis';

/**
 * Redis pub/sub channels that carry events to WebSocket clients. The payments relay publishes
 * each event to every channel it concerns; gateway replicas subscribe to the channels their
 * clients asked for. Channel names include the deployment's key prefix (pub/sub is not
 * prefixed by ioredis' keyPrefix), so two deployments on one Redis never cross.
 */
export const realtimeChannels = {
  payment: (paymentId: string) => `events:payment:${paymentId}`,
  /**
   * The WebSocket `merchant` channel of a key: its project and mode (a project is the boundary,
   * so two projects of one merchant never share a channel).
   */
  project: (projectId: string, mode: 'test' | 'live') => `events:project:${projectId}:${mode}`,
  user: (userId: string) => `events:user:${userId}`,
  /**
   * Credentials that just ended ({@link CredentialRevocation}): every gateway replica listens
   * and closes the WebSockets subscribed with them.
   */
  revocations: () => 'realtime:revocations',
};

export function prefixedChannel(keyPrefix: string, channel: string): string {
  return `${keyPrefix}${channel}`;
}

/**
 * Why a credential ended, as the WebSocket close reason says it. Sessions are ended by auth,
 * API keys (and with a project or a merchant every key of it) by merchants.
 */
export type RevocationReason =
  | 'signed_out'
  | 'password_changed'
  | 'account_deactivated'
  | 'refresh_token_reused'
  | 'api_key_revoked'
  | 'api_key_rolled'
  | 'project_deleted'
  | 'sandbox_ended'
  | 'merchant_deactivated';

/**
 * A message on {@link realtimeChannels.revocations}, published after the change commits (the
 * database stays the source of truth; a lost message is caught by the sockets' periodic
 * re-check).
 *
 * - `session`: session ids (`ses_…`), the `sid` of access tokens;
 * - `api_key_secret`: SHA-256 hex of API key secrets (a roll ends the old secret, not the key);
 * - `api_key`: key ids (`key_…`), every secret of them;
 * - `project` / `merchant`: every credential acting in the project or for the merchant.
 *
 * `at` (ISO time) is when they stop, for a rolled key's grace period; absent, now.
 */
export interface CredentialRevocation {
  kind: 'session' | 'api_key' | 'api_key_secret' | 'project' | 'merchant';
  ids: string[];
  reason: RevocationReason;
  at?: string;
}

/** Publishes a revocation to every gateway replica of the deployment. */
export async function publishRevocation(
  redis: Redis,
  keyPrefix: string,
  revocation: CredentialRevocation,
): Promise<void> {
  if (revocation.ids.length === 0) return;
  await redis.publish(
    prefixedChannel(keyPrefix, realtimeChannels.revocations()),
    JSON.stringify(revocation),
  );
}
