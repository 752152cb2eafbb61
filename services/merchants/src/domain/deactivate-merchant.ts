import { type Database, withTransaction } from '@expe/server-kit';
import { revokeKeysOfMerchant } from '../db/api-key-repository.js';
import {
  findMerchantByExternalRef,
  findMerchantById,
  lockMerchant,
  markMerchantDeactivated,
  type MerchantRow,
} from '../db/merchant-repository.js';

export type DeactivateMerchantTarget = { merchantId: string } | { externalRef: string };

export interface DeactivateMerchantResult {
  merchant: MerchantRow;
  /** Keys this call revoked (0 when they were revoked already). */
  revokedKeys: number;
}

/**
 * Shuts a merchant down: every API key it has is revoked (whoever issued it, whenever) and the
 * merchant is marked deactivated, in one transaction. Idempotent; `undefined` when there is no
 * such merchant (nothing to shut down).
 */
export async function deactivateMerchant(
  db: Database,
  target: DeactivateMerchantTarget,
): Promise<DeactivateMerchantResult | undefined> {
  return withTransaction(db, async (tx) => {
    const found =
      'merchantId' in target
        ? await findMerchantById(tx, target.merchantId)
        : await findMerchantByExternalRef(tx, target.externalRef);
    if (!found) return undefined;
    // Serialised with key creation (which locks the merchant for the per-project limit).
    await lockMerchant(tx, found.id);
    const now = new Date();
    const revokedKeys = await revokeKeysOfMerchant(tx, found.id, now);
    const merchant = await markMerchantDeactivated(tx, found.id, now);
    if (!merchant) throw new Error('a locked merchant went missing');
    return { merchant, revokedKeys };
  });
}
