import type { Database } from '@expe/server-kit';
import type { Clock } from '../../shared/domain/clock.js';
import type { MerchantDirectory } from '../../shared/domain/context.js';
import { resetTestData } from './reset-test-data.js';

/**
 * Sandboxes (projects with a time to live) end in merchants, which refuses their keys from
 * then on; their test data is archived here, exactly as `POST /v1/test_helpers/reset` archives
 * it (the ledger stays append-only and reconciles), and then reported, so merchants deletes the
 * project. A failure between the two repeats the archive on the next pass: archiving an already
 * empty project moves nothing.
 */
export async function archiveEndedSandboxes(
  deps: { db: Database; clock: Clock; merchants: MerchantDirectory },
  limit: number,
): Promise<number> {
  const ended = await deps.merchants.endedSandboxes(limit);
  for (const { projectId, merchantId } of ended) {
    await resetTestData(deps.db, deps.clock, { merchantId, projectId, mode: 'test' });
    await deps.merchants.reportSandboxArchived(projectId);
  }
  return ended.length;
}
