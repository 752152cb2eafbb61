import { AppError, type Executor } from '@expe/server-kit';
import { findMerchantByOwner, type MerchantRow } from '../db/merchant-repository.js';

/** The merchant a signed-in merchant user owns. */
export async function getMerchantOfUser(db: Executor, userId: string): Promise<MerchantRow> {
  const merchant = await findMerchantByOwner(db, userId);
  if (!merchant) {
    throw AppError.of('resource_missing', 'No merchant account belongs to this user');
  }
  return merchant;
}
