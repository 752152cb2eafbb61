import { type Database, notFound, withTransaction } from '@expe/server-kit';
import { revokeKeysOfProject } from '../db/api-key-repository.js';
import {
  listEndedUnarchivedProjects,
  markSandboxArchived,
  type ProjectRow,
} from '../db/project-repository.js';

/**
 * Sandboxes whose end has come and whose test data is not archived yet: payments asks for them,
 * archives each project's test data as a reset does, then reports it archived.
 */
export function listEndedSandboxes(db: Database, limit: number): Promise<ProjectRow[]> {
  return listEndedUnarchivedProjects(db, new Date(), limit);
}

/**
 * Records that an ended sandbox's test data is archived: the project is deleted (if it was not)
 * and its keys are revoked, in one transaction. A second report finds nothing (404).
 */
export function markSandboxEnded(db: Database, projectId: string): Promise<ProjectRow> {
  return withTransaction(db, async (tx) => {
    const now = new Date();
    const project = await markSandboxArchived(tx, projectId, now);
    if (!project) throw notFound('project', projectId, 'project_id');
    await revokeKeysOfProject(tx, project.id, now);
    return project;
  });
}
