import type { Executor } from '@expe/server-kit';
import { findApiKey } from '../db/api-key-repository.js';
import { detailsOfFoundKey, type ApiKeyDetails } from './api-key-details.js';
import { getProject } from './get-project.js';

/** One key of a live project of the merchant, revoked or not. */
export async function getApiKey(
  db: Executor,
  merchantId: string,
  projectId: string,
  keyId: string,
): Promise<ApiKeyDetails> {
  const project = await getProject(db, merchantId, projectId);
  const key = await findApiKey(db, { merchantId, projectId: project.id, keyId });
  return detailsOfFoundKey(db, key, keyId, new Date());
}
