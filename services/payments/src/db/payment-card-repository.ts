import { eq } from 'drizzle-orm';
import type { Executor } from '@expe/server-kit';
import type { CardDetails } from './instrument-schema.js';
import { payments } from './schema.js';

/** Sets the card details of a payment's latest card attempt (no-op for an unknown id). */
// unscoped: by id, of a payment locked after a scoped read or its checkout.
export async function updatePaymentCard(
  db: Executor,
  id: string,
  cardDetails: CardDetails,
): Promise<void> {
  await db.update(payments).set({ cardDetails }).where(eq(payments.id, id));
}
