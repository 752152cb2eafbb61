import { newId, type Executor } from '@expe/server-kit';
import {
  findMerchantByExternalRef,
  findMerchantByOwner,
  insertMerchantIfAbsent,
  type MerchantRow,
} from '../db/merchant-repository.js';

export type MerchantOwner = { ownerUserId: string } | { externalRef: string };

export type EnsureMerchantInput = MerchantOwner & { name: string; email: string };

export interface EnsureMerchantResult {
  merchant: MerchantRow;
  isCreated: boolean;
}

/**
 * Creates the merchant of a user (sign-up) or of an external reference (the operator), or
 * returns the one that exists. Concurrent calls are safe: the unique constraint decides which
 * insert wins, the others find its row.
 */
export async function ensureMerchant(
  db: Executor,
  input: EnsureMerchantInput,
): Promise<EnsureMerchantResult> {
  const now = new Date();
  const inserted = await insertMerchantIfAbsent(db, {
    id: newId('mer'),
    ownerUserId: 'ownerUserId' in input ? input.ownerUserId : null,
    externalRef: 'externalRef' in input ? input.externalRef : null,
    name: input.name,
    email: input.email,
    createdAt: now,
    updatedAt: now,
  });
  if (inserted) return { merchant: inserted, isCreated: true };
  const existing =
    'ownerUserId' in input
      ? await findMerchantByOwner(db, input.ownerUserId)
      : await findMerchantByExternalRef(db, input.externalRef);
  if (!existing) throw new Error('merchant insert conflicted but no existing merchant was found');
  return { merchant: existing, isCreated: false };
}
