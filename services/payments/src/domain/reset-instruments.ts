import { and, eq } from 'drizzle-orm';
import { customers, paymentLinks, paymentMethods, qrCodes } from '../db/instrument-schema.js';
import type { TestDataReset } from './reset-test-data.js';

/**
 * The reset step of the reusable instruments: the merchant's test customers, saved cards, QR
 * codes and payment links move to the archived owner, like the payments that name them (which
 * keep pointing at them), so the merchant's lists are empty and live mode is untouched.
 */
export const resetInstrumentTestData: TestDataReset = async (tx, scope) => {
  const { merchantId, archivedMerchantId } = scope;
  for (const table of [customers, paymentMethods, qrCodes, paymentLinks]) {
    await tx
      .update(table)
      .set({ merchantId: archivedMerchantId })
      .where(and(eq(table.merchantId, merchantId), eq(table.mode, 'test')));
  }
};
