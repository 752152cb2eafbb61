import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '@expe/server-kit';
import { accounts, events, idempotencyKeys, payments, refunds, testClocks } from '../db/schema.js';
import { inTransaction } from '../db/retry.js';
import { lockPayment, updatePayment } from '../db/payment-repository.js';
import { releaseHold } from './capture-payment.js';
import type { Clock } from './clock.js';
import { recordPaymentEvent } from './events.js';
import { resetBalanceTestData } from './reset-balance-test-data.js';
import { resetInstrumentTestData } from './reset-instruments.js';

/**
 * Whose test data a reset empties. Ledger rows are append-only, so the merchant's test-mode data
 * is detached rather than deleted: rows that belong to the merchant's test mode get
 * `archivedMerchantId` (`<merchant id>~reset~<n>`) as their merchant, an owner nobody can sign in
 * as. Reconciliation still sees every row, balanced; the merchant's lists and test balance are
 * empty. Tables without money may simply delete their test rows.
 */
export interface TestDataScope {
  merchantId: string;
  archivedMerchantId: string;
}

export type TestDataReset = (tx: Executor, scope: TestDataScope) => Promise<void>;

/**
 * Every step of a reset, in order; the registry is this explicit list (add your tables' step).
 * Live-mode rows are never touched, and neither are API keys or webhook endpoints (other
 * services own them).
 */
export const testDataResets: TestDataReset[] = [
  async (tx, { merchantId, archivedMerchantId }) => {
    const ofTestMode = and(eq(payments.merchantId, merchantId), eq(payments.mode, 'test'));
    await tx.update(payments).set({ merchantId: archivedMerchantId }).where(ofTestMode);
    await tx
      .update(refunds)
      .set({ merchantId: archivedMerchantId })
      .where(and(eq(refunds.merchantId, merchantId), eq(refunds.mode, 'test')));
    await tx
      .update(events)
      .set({ merchantId: archivedMerchantId })
      .where(and(eq(events.merchantId, merchantId), eq(events.livemode, false)));
    // The merchant's test balances (available, and any other merchant account type in test mode).
    await tx
      .update(accounts)
      .set({ ownerId: archivedMerchantId })
      .where(
        and(
          eq(accounts.ownerId, merchantId),
          eq(accounts.mode, 'test'),
          sql`${accounts.type} <> 'system'`,
        ),
      );
    await tx
      .delete(idempotencyKeys)
      .where(eq(idempotencyKeys.scope, `merchant:${merchantId}:test`));
    await tx.delete(testClocks).where(eq(testClocks.merchantId, merchantId));
  },
  resetInstrumentTestData,
  resetBalanceTestData,
];

/**
 * Empties the merchant's test data (DESIGN §9, `POST /v1/test_helpers/reset`). Authorizations
 * still held are canceled first, so their payers get their money back; then every step of
 * `testDataResets` runs in one transaction.
 */
export async function resetTestData(
  db: Database,
  clock: Clock,
  merchantId: string,
): Promise<{ archivedMerchantId: string }> {
  const archivedMerchantId = `${merchantId}~reset~${Date.now().toString(36)}`;
  await inTransaction(db, async (tx) => {
    const scope = { merchantId, mode: 'test' as const };
    const now = await clock.now(tx, scope);
    const held = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(
        and(
          eq(payments.merchantId, merchantId),
          eq(payments.mode, 'test'),
          eq(payments.status, 'requires_capture'),
        ),
      );
    for (const { id } of held) {
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
    for (const reset of testDataResets) await reset(tx, { merchantId, archivedMerchantId });
  });
  return { archivedMerchantId };
}
