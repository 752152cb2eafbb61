import { AppError, type Executor } from '@expe/server-kit';
import { findKeyByHash, touchLastUsed } from '../db/api-key-repository.js';

export interface ResolvedApiKey {
  keyId: string;
  keyType: 'secret' | 'publishable';
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
}

/**
 * Who a presented API key (given as the SHA-256 of the key) belongs to. On every API request's
 * path, so it is one indexed query and, at most once per resolution window, one cheap update.
 */
export async function resolveApiKey(
  db: Executor,
  hash: string,
  options: { lastUsedResolutionSeconds: number },
): Promise<ResolvedApiKey> {
  const now = new Date();
  const staleBefore = new Date(now.getTime() - options.lastUsedResolutionSeconds * 1000);
  const match = await findKeyByHash(db, hash, now, staleBefore);
  if (!match || match.state === 'invalid') {
    throw keyNotFound('invalid_api_key', 'No such API key, or it was revoked');
  }
  if (match.state === 'sandbox_ended') {
    throw keyNotFound(
      'expired_api_key',
      'This key belongs to a sandbox project that has ended (its expires_at passed)',
    );
  }
  if (match.state === 'expired') {
    throw keyNotFound(
      'expired_api_key',
      'This API key was rolled and its grace period is over: use the new key',
    );
  }
  if (match.isStale) await touchLastUsed(db, match.keyId, now, staleBefore);
  return {
    keyId: match.keyId,
    keyType: match.keyType,
    merchantId: match.merchantId,
    projectId: match.projectId,
    mode: match.mode,
  };
}

/**
 * The internal resolve answers an unknown or ended key with 404 (no such key here), not the
 * catalog's 401: the 401 is the gateway's answer to its caller, made from this code.
 */
function keyNotFound(code: 'invalid_api_key' | 'expired_api_key', message: string): AppError {
  // eslint-disable-next-line no-restricted-syntax -- the internal contract's status, see above
  return new AppError(code, 404, message);
}
