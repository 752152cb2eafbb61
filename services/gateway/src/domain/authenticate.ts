import type { Redis } from 'ioredis';
import {
  AppError,
  revokedSessionKey,
  sha256Hex,
  verifyAccessToken,
  type Principal,
  type Secret,
  type ServiceClient,
} from '@expe/server-kit';
import { singleFlight } from './single-flight.js';

type ApiKeyPrincipal = Extract<Principal, { kind: 'api_key' }>;

interface ResolvedKey {
  key_id: string;
  key_type: 'secret' | 'publishable';
  merchant_id: string;
  project_id: string;
  mode: 'test' | 'live';
}

type KeyLookup =
  { principal: ApiKeyPrincipal } | { errorCode: 'invalid_api_key' | 'expired_api_key' };

const apiKeyPattern = /^(sk|pk)_(test|live)_[0-9A-Za-z]{16,64}$/;

/**
 * Turns the Authorization header into a Principal: an API key (resolved by the merchants
 * service), a person's access token (verified here, session checked against the revocation
 * list in Redis), or anonymous when there is no header. Both lookups are single-flight and
 * cached briefly, unknown keys included, so a burst on one key — or of one bad key — makes one
 * lookup, not one per request.
 */
export function createAuthenticator(deps: {
  jwtSecret: Secret;
  redis: Redis;
  merchants: ServiceClient;
  cacheTtlMs: number;
  sessionCheckTtlMs: number;
}) {
  const lookUpKey = singleFlight<KeyLookup>(
    async (hash) => {
      const { status, body } = await deps.merchants<ResolvedKey & { error?: { code: string } }>(
        'POST',
        '/internal/api-keys/resolve',
        { hash },
      );
      if (status === 200) {
        return {
          principal: {
            kind: 'api_key',
            keyId: body.key_id,
            keyType: body.key_type,
            merchantId: body.merchant_id,
            projectId: body.project_id,
            mode: body.mode,
          },
        };
      }
      if (status === 404 || status === 401) {
        return {
          errorCode: body.error?.code === 'expired_api_key' ? 'expired_api_key' : 'invalid_api_key',
        };
      }
      throw AppError.of('service_unavailable', 'Could not check the API key; try again');
    },
    { ttlMs: deps.cacheTtlMs, isNegative: (lookup) => 'errorCode' in lookup },
  );

  const checkSession = singleFlight<{ isRevoked: boolean }>(
    async (sessionId) => {
      // Fail closed: while the revocation list cannot be read, a signed-out session could
      // otherwise be used again. API keys keep working (they do not depend on Redis).
      if (deps.redis.status !== 'ready') {
        throw AppError.of('service_unavailable', 'Cannot check the session right now; try again');
      }
      try {
        return { isRevoked: (await deps.redis.exists(revokedSessionKey(sessionId))) > 0 };
      } catch (error) {
        throw AppError.of('service_unavailable', 'Cannot check the session right now; try again', {
          cause: error,
        });
      }
    },
    { ttlMs: deps.sessionCheckTtlMs },
  );

  async function resolveApiKey(key: string): Promise<ApiKeyPrincipal> {
    const lookup = await lookUpKey(sha256Hex(key));
    if ('errorCode' in lookup) {
      throw AppError.of(
        lookup.errorCode,
        lookup.errorCode === 'expired_api_key'
          ? 'This API key was rolled and its grace period is over: use the new key'
          : `Invalid API key provided: ${mask(key)}`,
      );
    }
    return lookup.principal;
  }

  async function verifyPerson(token: string): Promise<Principal> {
    let claims;
    try {
      claims = verifyAccessToken(deps.jwtSecret, token);
    } catch {
      throw AppError.of('invalid_access_token', 'The access token is invalid or expired');
    }
    if ((await checkSession(claims.sid)).isRevoked) {
      throw AppError.of('invalid_access_token', 'This session has been signed out');
    }
    return {
      kind: 'user',
      userId: claims.sub,
      role: claims.role,
      email: claims.email,
      sessionId: claims.sid,
    };
  }

  return async function authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) return { kind: 'anonymous' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) {
      throw AppError.of(
        'authentication_required',
        'Malformed Authorization header: use "Authorization: Bearer <key or token>"',
      );
    }
    const credential = match[1];
    if (/^(sk|pk)_/.test(credential)) {
      if (!apiKeyPattern.test(credential)) {
        throw AppError.of('invalid_api_key', `Invalid API key provided: ${mask(credential)}`);
      }
      return resolveApiKey(credential);
    }
    return verifyPerson(credential);
  };
}

/** Shows enough of a key to recognise it in an error, never enough to use it. */
function mask(key: string): string {
  const prefix = /^(sk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(8)}${key.slice(-4)}`;
}
