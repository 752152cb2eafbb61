import {
  AppError,
  newId,
  publishRevocation,
  randomBase62,
  revokedSessionKey,
  sha256Hex,
  signAccessToken,
  type Executor,
  type RevocationReason,
} from '@expe/server-kit';
import { insertRefreshToken, revokeRefreshTokenFamily } from '../db/refresh-token-repository.js';
import type { UserRow } from '../db/schema.js';
import type { AuthContext } from './context.js';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserRow;
}

/**
 * Issues an access token and a new refresh token. Without `familyId` this starts a new session
 * (a new family); with it, it continues one (rotation). Only the refresh token's hash is stored.
 */
export async function issueSession(
  ctx: AuthContext,
  db: Executor,
  user: UserRow,
  familyId: string = newId('ses'),
): Promise<IssuedSession> {
  const refreshToken = randomBase62(48);
  await insertRefreshToken(db, {
    id: newId('rft'),
    userId: user.id,
    familyId,
    tokenHash: sha256Hex(refreshToken),
    expiresAt: new Date(Date.now() + ctx.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
  });
  const expiresIn = ctx.config.ACCESS_TOKEN_TTL_SECONDS;
  const accessToken = signAccessToken(
    ctx.config.JWT_SECRET,
    { sub: user.id, role: user.role, email: user.email, sid: familyId },
    expiresIn,
  );
  return { accessToken, refreshToken, expiresIn, user };
}

/** Ends a session: its refresh tokens stop working, and so do its live access tokens. */
export async function revokeSession(
  ctx: AuthContext,
  familyId: string,
  reason: RevocationReason,
): Promise<void> {
  await revokeRefreshTokenFamily(ctx.db, familyId, new Date());
  await announceRevokedSessions(ctx, [familyId], reason);
}

/**
 * Tells the gateway to refuse the sessions' access tokens. Access tokens are stateless, so the
 * mark only has to outlive the longest one that could have been issued before the revocation.
 * Then tells every gateway replica to close the WebSockets subscribed with them, saying why
 * (after the mark, so a client reconnecting on the close is refused).
 * Called after the database change commits: the database stays the source of truth.
 */
export async function announceRevokedSessions(
  ctx: AuthContext,
  familyIds: readonly string[],
  reason: RevocationReason,
): Promise<void> {
  if (familyIds.length === 0) return;
  const pipeline = ctx.redis.pipeline();
  for (const familyId of familyIds) {
    pipeline.set(revokedSessionKey(familyId), '1', 'EX', ctx.config.ACCESS_TOKEN_TTL_SECONDS);
  }
  const results = (await pipeline.exec()) ?? [];
  const failure = results.find(([error]) => error)?.[0];
  if (failure) throw failure;
  await publishRevocation(ctx.redis, ctx.config.REDIS_KEY_PREFIX, {
    kind: 'session',
    ids: [...familyIds],
    reason,
  });
}

export const invalidRefreshToken = () =>
  AppError.of('invalid_refresh_token', 'The refresh token is invalid or expired; sign in again');

export const refreshTokenReused = () =>
  AppError.of(
    'refresh_token_reused',
    'This refresh token was already used; the session has been revoked, sign in again',
  );
