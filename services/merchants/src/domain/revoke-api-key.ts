import type { Executor } from '@expe/server-kit';
import { revokeApiKey as revokeApiKeyRow } from '../db/api-key-repository.js';
import { detailsOfFoundKey, type ApiKeyDetails } from './api-key-details.js';
import { getProject } from './get-project.js';

/** Revokes at once; revoking a revoked key answers the same. */
export async function revokeApiKey(
  db: Executor,
  merchantId: string,
  projectId: string,
  keyId: string,
): Promise<ApiKeyDetails> {
  const project = await getProject(db, merchantId, projectId);
  const now = new Date();
  const key = await revokeApiKeyRow(db, { merchantId, projectId: project.id, keyId }, now);
  return detailsOfFoundKey(db, key, keyId, now);
}
