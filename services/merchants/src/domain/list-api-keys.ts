import type { Executor } from '@expe/server-kit';
import { listApiKeysOfProject } from '../db/api-key-repository.js';
import type { Page, PageRequest } from '@expe/server-kit';
import { withSecrets, type ApiKeyDetails } from './api-key-details.js';
import { getProject } from './get-project.js';

export async function listApiKeys(
  db: Executor,
  merchantId: string,
  projectId: string,
  page: PageRequest,
): Promise<Page<ApiKeyDetails>> {
  const project = await getProject(db, merchantId, projectId);
  const keys = await listApiKeysOfProject(db, project.id, page);
  return { rows: await withSecrets(db, keys.rows, new Date()), hasMore: keys.hasMore };
}
