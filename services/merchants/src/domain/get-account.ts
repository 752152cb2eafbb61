import { AppError, type Executor } from '@expe/server-kit';
import { findUsableApiKey, type ApiKeyRow } from '../db/api-key-repository.js';

export interface ApiKeyIdentity {
  keyId: string;
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
}

/**
 * The key a request was authenticated with, re-checked here: the gateway caches key lookups for
 * a moment, and a key revoked in that moment must not be reported as working.
 */
export async function getAccount(db: Executor, identity: ApiKeyIdentity): Promise<ApiKeyRow> {
  const key = await findUsableApiKey(db, identity.keyId);
  const isSameKey =
    key?.merchantId === identity.merchantId &&
    key.projectId === identity.projectId &&
    key.mode === identity.mode;
  if (!key || !isSameKey) {
    throw AppError.of('invalid_api_key', 'This API key was revoked or no longer exists');
  }
  return key;
}
