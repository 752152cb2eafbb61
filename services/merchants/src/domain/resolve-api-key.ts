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
    throw new AppError('invalid_api_key', 404, 'No such API key, or it was revoked');
  }
  if (match.state === 'sandbox_ended') {
    throw new AppError(
      'expired_api_key',
      404,
      'This key belongs to a sandbox project that has ended (its expires_at passed)',
    );
  }
  if (match.state === 'expired') {
    throw new AppError(
      'expired_api_key',
      404,
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
