import type { UpdateProjectInput } from '@expe/contracts';
import { notFound, type Executor } from '@expe/server-kit';
import { renameLiveProject, type ProjectRow } from '../db/project-repository.js';

export async function renameProject(
  db: Executor,
  merchantId: string,
  projectId: string,
  input: UpdateProjectInput,
): Promise<ProjectRow> {
  const project = await renameLiveProject(db, merchantId, projectId, input.name, new Date());
  if (!project) throw notFound('project', projectId);
  return project;
}
