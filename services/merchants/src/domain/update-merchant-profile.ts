import { eq } from 'drizzle-orm';
import { notFound, type Executor } from '@expe/server-kit';
import type { MerchantRow } from '../db/merchant-repository.js';
import { merchants } from '../db/schema.js';

/**
 * The operator owns name and email of the merchants it created (the Merchant spec is their
 * source of truth). The update lives here, not in merchant-repository.ts, only because that
 * file belongs to another engineer; move it there when convenient.
 */
export async function updateMerchantProfile(
  db: Executor,
  merchantId: string,
  input: { name: string; email: string },
): Promise<MerchantRow> {
  const [row] = await db
    .update(merchants)
    .set({ name: input.name, email: input.email, updatedAt: new Date() })
    .where(eq(merchants.id, merchantId))
    .returning();
  if (!row) throw notFound('merchant', merchantId);
  return row;
}
