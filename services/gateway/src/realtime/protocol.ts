import { z } from 'zod';

/** Client → server messages of the real-time protocol (docs/websocket.md). */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    channel: z.string().regex(/^(payment:pay_[0-9a-z]{10,40}|merchant|wallet)$/),
    token: z.string().min(10).max(4096).optional(),
    client_secret: z.string().min(10).max(200).optional(),
    /**
     * A merchant user's token acts in one project, as over HTTP with `Expe-Project`/`Expe-Mode`:
     * `project` is required for them (`merchant` and `payment:<id>`), `mode` defaults to test.
     * A secret key already names its project and mode; if sent, they must be the key's.
     */
    project: z
      .string()
      .regex(/^prj_[0-9a-z]{10,40}$/)
      .optional(),
    mode: z.enum(['test', 'live']).optional(),
  }),
  z.object({ type: z.literal('unsubscribe'), channel: z.string().max(100) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'subscribed'; channel: string }
  | { type: 'unsubscribed'; channel: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; channel?: string }
  | { type: 'event'; channel: string; event: unknown };

export class SubscriptionError extends Error {
  constructor(
    readonly code:
      | 'unauthorized'
      | 'forbidden'
      | 'not_found'
      | 'unavailable'
      /** A merchant user's token without `project`: the session acts in one project. */
      | 'project_required',
    message: string,
    /** The credential was valid once and has run out (access token past `exp`, rolled key). */
    readonly isExpired = false,
  ) {
    super(message);
  }
}

/**
 * What a subscription was made with, so that the socket can be closed when it ends: the
 * session of an access token (until its `exp`), or an API key secret; and the project and
 * merchant it acts for. A `client_secret` subscription has none (it names one payment only).
 */
export interface Credential {
  sessionId?: string;
  keyId?: string;
  /** SHA-256 hex of the API key secret: a roll ends a secret, not the key. */
  secretHash?: string;
  projectId?: string;
  merchantId?: string;
  /** Epoch milliseconds of the access token's `exp`. */
  expiresAt?: number;
}

/** An allowed subscription: the pub/sub channel (unprefixed) that feeds it, and its credential. */
export interface Authorized {
  channel: string;
  credential: Credential | undefined;
}

/**
 * Close codes of `/v1/ws` (docs/websocket.md). The close reason is a short code saying which
 * event it was (`signed_out`, `api_key_revoked`, `access_token_expired`, …).
 */
export const closeCodes = {
  /** The credential was revoked: sign-out, password change, account or key revoked. */
  revoked: 4401,
  /** The credential ran out: the access token's `exp`, a rolled key's grace period. */
  expired: 4402,
  /** The credential is still valid but may no longer follow the channel (project deleted). */
  forbidden: 4403,
  /** The client sent messages faster than its socket's rate allows (`message_rate_exceeded`). */
  rateLimited: 4429,
} as const;

/**
 * A token bucket for one socket's messages: `burst` messages at once, refilled at `perSecond`.
 * `take()` spends one and says whether there was one to spend. In memory with the socket: the
 * limit is per connection, so nothing is shared between replicas.
 */
export function messageBucket(
  limits: { perSecond: number; burst: number },
  now: () => number = () => performance.now(),
) {
  let tokens = limits.burst;
  let last = now();
  return {
    take(): boolean {
      const at = now();
      tokens = Math.min(limits.burst, tokens + ((at - last) / 1000) * limits.perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`, found in one pass over
 * the characters without parsing (so a hostile message costs O(length), no recursion).
 */
export function isNestedDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let isInString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (isInString) {
      if (char === 0x5c /* backslash */) i++;
      else if (char === 0x22 /* quote */) isInString = false;
    } else if (char === 0x22) {
      isInString = true;
    } else if (char === 0x5b /* [ */ || char === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x5d /* ] */ || char === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}
