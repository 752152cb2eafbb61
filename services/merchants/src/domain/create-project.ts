import type { CreateProjectInput } from '@expe/contracts';
import { AppError, type Executor, newId, withTransaction } from '@expe/server-kit';
import { lockMerchant } from '../db/merchant-repository.js';
import { countLiveProjects, insertProject, type ProjectRow } from '../db/project-repository.js';

export async function createProject(
  db: Executor,
  merchantId: string,
  input: CreateProjectInput,
  limits: { maxProjects: number },
): Promise<ProjectRow> {
  return withTransaction(db, async (tx) => {
    // Locking the merchant makes count-then-insert atomic, so concurrent creates cannot pass
    // the limit together.
    await lockMerchant(tx, merchantId);
    if ((await countLiveProjects(tx, merchantId)) >= limits.maxProjects) {
      throw AppError.of(
        'parameter_invalid',
        `A merchant can have at most ${limits.maxProjects} projects; delete one before creating another`,
        { param: 'name' },
      );
    }
    const now = new Date();
    return insertProject(tx, {
      id: newId('prj'),
      merchantId,
      name: input.name,
      expiresAt:
        input.ttl_seconds === undefined ? null : new Date(now.getTime() + input.ttl_seconds * 1000),
      createdAt: now,
      updatedAt: now,
    });
  });
}
