import type { Executor } from '@expe/server-kit';
import type { Page, PageRequest } from '@expe/server-kit';
import { listLiveProjects, type ProjectRow } from '../db/project-repository.js';

export async function listProjects(
  db: Executor,
  merchantId: string,
  page: PageRequest,
): Promise<Page<ProjectRow>> {
  return listLiveProjects(db, merchantId, page);
}
