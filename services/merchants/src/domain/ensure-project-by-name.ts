import { type Database, newId, notFound, withTransaction } from '@expe/server-kit';
import { findMerchantById, lockMerchant } from '../db/merchant-repository.js';
import { insertProject, listLiveProjects, type ProjectRow } from '../db/project-repository.js';

export interface EnsureProjectResult {
  project: ProjectRow;
  isCreated: boolean;
}

/**
 * The operator's view of a project is its name: return the live project of that name or
 * create it. The merchant row lock makes concurrent ensures of one name create one project.
 */
export async function ensureProjectByName(
  db: Database,
  merchantId: string,
  name: string,
  limits: { maxProjects: number },
): Promise<EnsureProjectResult> {
  return withTransaction(db, async (tx) => {
    if (!(await findMerchantById(tx, merchantId))) throw notFound('merchant', merchantId);
    await lockMerchant(tx, merchantId);
    // The operator's spec allows at most 20 projects, so one generous page sees them all.
    const page = await listLiveProjects(tx, merchantId, { limit: limits.maxProjects });
    const existing = page.rows
      .filter((row) => row.name === name)
      .sort((a, b) => a.id.localeCompare(b.id))[0];
    if (existing) return { project: existing, isCreated: false };
    const now = new Date();
    const project = await insertProject(tx, {
      id: newId('prj'),
      merchantId,
      name,
      createdAt: now,
      updatedAt: now,
    });
    return { project, isCreated: true };
  });
}
