import { AppError, notFound, type Executor } from '@expe/server-kit';
import {
  findMerchantById,
  findMerchantByOwner,
  type MerchantRow,
} from '../db/merchant-repository.js';

/** The merchant a signed-in merchant user owns. */
export async function getMerchantOfUser(db: Executor, userId: string): Promise<MerchantRow> {
  const merchant = await findMerchantByOwner(db, userId);
  if (!merchant) {
    throw AppError.of('resource_missing', 'No merchant account belongs to this user');
  }
  return merchant;
}

/** A merchant by id, for other services (payment pages show the merchant's name). */
export async function getMerchant(db: Executor, id: string): Promise<MerchantRow> {
  const merchant = await findMerchantById(db, id);
  if (!merchant) throw notFound('merchant', id);
  return merchant;
}
