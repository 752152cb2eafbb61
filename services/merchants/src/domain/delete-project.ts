import { type Database, notFound, withTransaction } from '@expe/server-kit';
import { revokeKeysOfProject } from '../db/api-key-repository.js';
import { softDeleteLiveProject, type ProjectRow } from '../db/project-repository.js';

/** Soft-deletes the project and revokes every key of it in the same transaction. */
export async function deleteProject(
  db: Database,
  merchantId: string,
  projectId: string,
): Promise<ProjectRow> {
  return withTransaction(db, async (tx) => {
    const now = new Date();
    const project = await softDeleteLiveProject(tx, merchantId, projectId, now);
    if (!project) throw notFound('project', projectId);
    await revokeKeysOfProject(tx, project.id, now);
    return project;
  });
}
