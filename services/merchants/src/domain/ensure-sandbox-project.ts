import { projectTtlLimits } from '@expe/contracts';
import { AppError, type Database, newId, notFound, withTransaction } from '@expe/server-kit';
import { findMerchantById, lockMerchant } from '../db/merchant-repository.js';
import {
  countLiveProjects,
  insertProject,
  listLiveProjects,
  type ProjectRow,
} from '../db/project-repository.js';

export interface EnsureSandboxResult {
  project: ProjectRow;
  isCreated: boolean;
}

/**
 * The operator's Sandbox resource: the live sandbox (a project with an end) of that name, or a
 * new one that ends at `expiresAt`. The end is given, not a time to live, so every retry of the
 * same resource asks for the same end. An end already past, or further than 30 days, is a 400
 * naming expires_at; the merchant's project limit applies as to any project.
 */
export async function ensureSandboxProject(
  db: Database,
  merchantId: string,
  input: { name: string; expiresAt: Date },
  limits: { maxProjects: number },
  now = new Date(),
): Promise<EnsureSandboxResult> {
  return withTransaction(db, async (tx) => {
    if (!(await findMerchantById(tx, merchantId))) throw notFound('merchant', merchantId);
    await lockMerchant(tx, merchantId);
    const page = await listLiveProjects(tx, merchantId, { limit: limits.maxProjects });
    const existing = page.rows
      .filter((row) => row.name === input.name && row.expiresAt !== null)
      .sort((a, b) => a.id.localeCompare(b.id))[0];
    if (existing) return { project: existing, isCreated: false };
    const remainingMs = input.expiresAt.getTime() - now.getTime();
    if (remainingMs <= 0) {
      throw AppError.of('parameter_invalid', 'This sandbox would already have ended', {
        param: 'expires_at',
      });
    }
    if (remainingMs > projectTtlLimits.maxSeconds * 1000) {
      throw AppError.of('parameter_invalid', 'A sandbox lasts at most 30 days', {
        param: 'expires_at',
      });
    }
    if ((await countLiveProjects(tx, merchantId)) >= limits.maxProjects) {
      throw AppError.of(
        'parameter_invalid',
        `A merchant can have at most ${limits.maxProjects} projects; delete one before creating another`,
        { param: 'name' },
      );
    }
    const project = await insertProject(tx, {
      id: newId('prj'),
      merchantId,
      name: input.name,
      expiresAt: input.expiresAt,
      createdAt: now,
      updatedAt: now,
    });
    return { project, isCreated: true };
  });
}
