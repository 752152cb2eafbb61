import { notFound, type Executor } from '@expe/server-kit';
import { updateMerchantNameAndEmail, type MerchantRow } from '../db/merchant-repository.js';

/** The operator owns name and email of the merchants it created (the Merchant spec is their source of truth). */
export async function updateMerchantProfile(
  db: Executor,
  merchantId: string,
  input: { name: string; email: string },
): Promise<MerchantRow> {
  const row = await updateMerchantNameAndEmail(db, merchantId, input, new Date());
  if (!row) throw notFound('merchant', merchantId);
  return row;
}
