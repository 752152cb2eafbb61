import { withTransaction, type Database, type Executor, type Scope } from '@expe/server-kit';
import {
  archiveProjectTestBalances,
  archiveProjectTestRows,
  deleteProjectTestIdempotencyKeys,
  listHeldTestPaymentIds,
} from '../db/project-test-rows.js';
import { lockPayment, updatePayment } from '../../payments/db/payment-repository.js';
import { releaseHold } from '../../payments/domain/capture-payment.js';
import type { Clock } from '../../shared/domain/clock.js';
import { recordPaymentEvent } from '../../payments/domain/payment-events.js';

/**
 * Whose test data a reset empties: one project's (issue 19; the merchant's other projects are
 * untouched). Ledger rows are append-only, so the project's test-mode data is detached rather
 * than deleted: rows of the project's test mode get `archivedProjectId`
 * (`<project id>~reset~<n>`) as their project, a project no key acts in; they keep their
 * merchant. Reconciliation still sees every row, balanced; the project's lists and test balance
 * are empty. Tables without money may simply delete their test rows.
 */
export interface TestDataScope {
  projectId: string;
  archivedProjectId: string;
}

export type TestDataReset = (tx: Executor, scope: TestDataScope) => Promise<void>;

/**
 * Every step of a reset, in order. The project's own rows of every payments table move to the
 * archived project (project-test-rows.ts reads the tables from the catalog, so a new table is
 * included without being listed here); what is keyed otherwise is listed: the project's test
 * balances (ledger accounts owned by the project) and its Idempotency-Keys. Live-mode rows are
 * never touched, and neither are API keys or webhook endpoints (other services own them).
 */
export const testDataResets: TestDataReset[] = [
  archiveProjectTestRows,
  archiveProjectTestBalances,
  deleteProjectTestIdempotencyKeys,
];

/**
 * Empties the project's test data (`POST /v1/test_helpers/reset`). Authorizations
 * still held are canceled first, so their payers get their money back; then every step of
 * `testDataResets` runs in one transaction.
 */
export async function resetTestData(
  db: Database,
  clock: Clock,
  scope: Scope & { mode: 'test' },
): Promise<{ archivedProjectId: string }> {
  const { projectId } = scope;
  const archivedProjectId = `${projectId}~reset~${Date.now().toString(36)}`;
  await withTransaction(db, async (tx) => {
    const now = await clock.now(tx, scope);
    for (const id of await listHeldTestPaymentIds(tx, { projectId })) {
      const payment = await lockPayment(tx, id);
      if (payment?.status !== 'requires_capture') continue;
      const canceled = await updatePayment(tx, id, {
        status: 'canceled',
        amountCapturable: 0,
        canceledAt: now,
        updatedAt: now,
      });
      await recordPaymentEvent(tx, 'payment.canceled', canceled, now);
      await releaseHold(tx, payment, payment.amountCapturable, now);
    }
    for (const reset of testDataResets) await reset(tx, { projectId, archivedProjectId });
  });
  return { archivedProjectId };
}
