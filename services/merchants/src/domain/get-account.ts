import { AppError, type Executor } from '@expe/server-kit';
import { findUsableApiKey } from '../db/api-key-repository.js';
import { getProject } from './get-project.js';

export interface ApiKeyIdentity {
  keyId: string;
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
}

/** Who a request acts as: a project in a mode, through an API key or a merchant user's session. */
export interface Account {
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
  /** null when a merchant user's session acts for the project (gateway: Expe-Project). */
  keyId: string | null;
}

/**
 * The key a request was authenticated with, re-checked here: the gateway caches key lookups for
 * a moment, and a key revoked in that moment must not be reported as working. A merchant user's
 * session acting for a project arrives as a secret-key identity whose key id is the session id
 * (`ses_…`): there is no key to report, only the project, which must still exist.
 */
export async function getAccount(db: Executor, identity: ApiKeyIdentity): Promise<Account> {
  const { merchantId, projectId, mode } = identity;
  if (identity.keyId.startsWith('ses_')) {
    await getProject(db, merchantId, projectId);
    return { merchantId, projectId, mode, keyId: null };
  }
  const key = await findUsableApiKey(db, identity.keyId);
  const isSameKey =
    key?.merchantId === merchantId && key.projectId === projectId && key.mode === mode;
  if (!key || !isSameKey) {
    throw AppError.of('invalid_api_key', 'This API key was revoked or no longer exists');
  }
  return { merchantId, projectId, mode, keyId: key.id };
}
