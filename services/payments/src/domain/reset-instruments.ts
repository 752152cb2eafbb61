import { and, eq } from 'drizzle-orm';
import { customers, paymentLinks, paymentMethods, qrCodes } from '../db/instrument-schema.js';
import type { TestDataReset } from './reset-test-data.js';

/**
 * The reset step of the reusable instruments: the project's test customers, saved cards, QR
 * codes and payment links move to the archived project, like the payments that name them (which
 * keep pointing at them), so the project's lists are empty and live mode is untouched.
 */
export const resetInstrumentTestData: TestDataReset = async (tx, scope) => {
  const { projectId, archivedProjectId } = scope;
  for (const table of [customers, paymentMethods, qrCodes, paymentLinks]) {
    await tx
      .update(table)
      .set({ projectId: archivedProjectId })
      .where(and(eq(table.projectId, projectId), eq(table.mode, 'test')));
  }
};
