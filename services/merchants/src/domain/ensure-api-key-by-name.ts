import type { CreateApiKeyInput } from '@expe/contracts';
import {
  AppError,
  type Database,
  type Executor,
  notFound,
  withTransaction,
} from '@expe/server-kit';
import {
  listApiKeysOfProject,
  revokeApiKey as revokeApiKeyRow,
  type ApiKeyRow,
} from '../db/api-key-repository.js';
import { findMerchantById, lockMerchant } from '../db/merchant-repository.js';
import { findLiveProject } from '../db/project-repository.js';
import { withSecrets, type ApiKeyDetails } from './api-key-details.js';
import { insertKeyWithinLimit } from './create-api-key.js';

export interface EnsureApiKeyResult {
  details: ApiKeyDetails;
  isCreated: boolean;
}

/** The oldest active key of that name and mode in the project. */
async function findActiveKeyByName(
  db: Executor,
  projectId: string,
  input: CreateApiKeyInput,
  maxKeys: number,
): Promise<ApiKeyRow | undefined> {
  let startingAfter: string | undefined;
  let found: ApiKeyRow | undefined;
  // Revoked keys stay listed, so walk every page rather than trusting the active-key limit.
  for (;;) {
    const page = await listApiKeysOfProject(db, projectId, {
      limit: Math.min(maxKeys, 100),
      startingAfter,
    });
    for (const row of page.rows) {
      if (row.name === input.name && row.mode === input.mode && row.revokedAt === null) found = row;
    }
    const last = page.rows.at(-1);
    if (!page.hasMore || !last) return found;
    startingAfter = last.id;
  }
}

/**
 * Locks the merchant (deactivation holds the same lock while it revokes every key, so no key
 * can be issued behind it) and refuses a deactivated one.
 */
async function lockActiveMerchant(db: Executor, merchantId: string): Promise<void> {
  await lockMerchant(db, merchantId);
  const merchant = await findMerchantById(db, merchantId);
  if (!merchant) throw notFound('merchant', merchantId);
  if (merchant.deactivatedAt) {
    throw AppError.of('resource_conflict', 'This merchant is deactivated; it gets no new keys', {
      param: 'id',
    });
  }
}

/**
 * Returns the active key of that (name, mode) in the project, or creates it; only a key created
 * now carries its secret. The project row lock makes concurrent ensures create one key.
 */
export async function ensureApiKeyByName(
  db: Database,
  merchantId: string,
  projectId: string,
  input: CreateApiKeyInput,
  limits: { maxKeys: number },
): Promise<EnsureApiKeyResult> {
  return withTransaction(db, async (tx) => {
    await lockActiveMerchant(tx, merchantId);
    const project = await findLiveProject(tx, merchantId, projectId, { forUpdate: true });
    if (!project) throw notFound('project', projectId);
    const existing = await findActiveKeyByName(tx, project.id, input, limits.maxKeys);
    if (existing) {
      const [details] = await withSecrets(tx, [existing], new Date());
      if (!details) throw new Error('details of an existing key went missing');
      return { details, isCreated: false };
    }
    return {
      details: await insertKeyWithinLimit(tx, merchantId, project, input, limits.maxKeys),
      isCreated: true,
    };
  });
}

/**
 * Drift repair: the key's secret leaked or its Secret was lost, so revoke it (if still active)
 * and issue a fresh key of the same name and mode in one transaction.
 */
export async function reissueApiKey(
  db: Database,
  merchantId: string,
  projectId: string,
  keyId: string,
  limits: { maxKeys: number },
): Promise<ApiKeyDetails> {
  return withTransaction(db, async (tx) => {
    await lockActiveMerchant(tx, merchantId);
    const project = await findLiveProject(tx, merchantId, projectId, { forUpdate: true });
    if (!project) throw notFound('project', projectId);
    const old = await revokeApiKeyRow(tx, { merchantId, projectId: project.id, keyId }, new Date());
    if (!old) throw notFound('API key', keyId, 'key_id');
    return insertKeyWithinLimit(
      tx,
      merchantId,
      project,
      { name: old.name, mode: old.mode },
      limits.maxKeys,
    );
  });
}
