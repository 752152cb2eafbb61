import { notFound, type Executor } from '@expe/server-kit';
import { findLiveProject, type ProjectRow } from '../db/project-repository.js';

/** A live project of the merchant; someone else's project is as missing as a deleted one. */
export async function getProject(
  db: Executor,
  merchantId: string,
  projectId: string,
): Promise<ProjectRow> {
  const project = await findLiveProject(db, merchantId, projectId);
  if (!project) throw notFound('project', projectId);
  return project;
}
