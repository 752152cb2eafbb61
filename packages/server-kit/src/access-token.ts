import jwt from 'jsonwebtoken';
import { hmacKeyOf, type Secret } from './secret.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * People's access tokens: HS256 JWTs issued by the auth service and verified by the gateway.
 * The algorithm is pinned on both sides (no `alg: none`, no key confusion), and issuer and
 * audience are checked.
 */
export const accessTokenIssuer = 'expe-auth';
export const accessTokenAudience = 'expe-api';

export interface AccessTokenClaims {
  sub: string;
  role: 'user' | 'merchant' | 'admin';
  email: string;
  /** The session (refresh-token family) this token belongs to; logout revokes it. */
  sid: string;
}

export function signAccessToken(
  secret: Secret,
  claims: AccessTokenClaims,
  ttlSeconds: number,
): string {
  return jwt.sign({ role: claims.role, email: claims.email, sid: claims.sid }, hmacKeyOf(secret), {
    algorithm: 'HS256',
    subject: claims.sub,
    issuer: accessTokenIssuer,
    audience: accessTokenAudience,
    expiresIn: ttlSeconds,
  });
}

/** Access tokens each secret verified, so a person's next request skips the HMAC and parse. */
const verifiedBySecret = new WeakMap<Secret, VerifiedTokens<AccessTokenClaims>>();

/**
 * Throws (any jsonwebtoken error) unless the token is valid, unexpired and well-formed. A token
 * this secret verified before is accepted again until its `exp` without a second check
 * (`VerifiedTokens`); whether its session was revoked is the caller's check, every time.
 */
export function verifyAccessToken(secret: Secret, token: string): AccessTokenClaims {
  let verified = verifiedBySecret.get(secret);
  if (!verified) verifiedBySecret.set(secret, (verified = new VerifiedTokens()));
  const known = verified.get(token);
  if (known) return known;
  const payload = jwt.verify(token, hmacKeyOf(secret), {
    algorithms: ['HS256'],
    issuer: accessTokenIssuer,
    audience: accessTokenAudience,
  });
  if (typeof payload === 'string') throw new Error('malformed access token');
  const { sub, role, email, sid, exp } = payload as Partial<AccessTokenClaims> & { exp?: number };
  if (!sub || !sid || !email || (role !== 'user' && role !== 'merchant' && role !== 'admin')) {
    throw new Error('malformed access token');
  }
  const claims = Object.freeze({ sub, role, email, sid });
  if (typeof exp === 'number') verified.set(token, claims, exp);
  return claims;
}

/**
 * Redis key that marks a session as revoked (logout, refresh-token reuse, password change).
 * Auth writes it for the access token's lifetime; the gateway refuses tokens of that session.
 */
export function revokedSessionKey(sessionId: string): string {
  return `auth:revoked-session:${sessionId}`;
}
