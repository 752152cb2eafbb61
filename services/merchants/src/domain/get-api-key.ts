import { notFound, type Executor } from '@expe/server-kit';
import { findApiKey } from '../db/api-key-repository.js';
import { withSecrets, type ApiKeyDetails } from './api-key-details.js';
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
  if (!key) throw notFound('API key', keyId, 'key_id');
  const [details] = await withSecrets(db, [key], new Date());
  if (!details) throw notFound('API key', keyId, 'key_id');
  return details;
}
