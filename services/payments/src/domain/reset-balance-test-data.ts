import { and, eq } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import { balanceTransactions, disputes, payouts } from '../db/balance-schema.js';
import type { TestDataScope } from './reset-test-data.js';

/**
 * A reset step (reset-test-data.ts): the project's test-mode balance transactions, payouts and
 * disputes move to the archived project together with its ledger accounts, so "balance
 * transactions sum to the balance" still holds for both, and the project's lists are empty.
 */
export async function resetBalanceTestData(tx: Executor, scope: TestDataScope): Promise<void> {
  const { projectId, archivedProjectId } = scope;
  const moved = { projectId: archivedProjectId };
  await tx
    .update(balanceTransactions)
    .set(moved)
    .where(and(eq(balanceTransactions.projectId, projectId), eq(balanceTransactions.mode, 'test')));
  await tx
    .update(payouts)
    .set(moved)
    .where(and(eq(payouts.projectId, projectId), eq(payouts.mode, 'test')));
  await tx
    .update(disputes)
    .set(moved)
    .where(and(eq(disputes.projectId, projectId), eq(disputes.mode, 'test')));
}
