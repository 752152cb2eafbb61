import type { UpdateMerchantInput } from '@expe/contracts';
import type { Executor } from '@expe/server-kit';
import { updateMerchantName, type MerchantRow } from '../db/merchant-repository.js';

export async function updateMerchant(
  db: Executor,
  merchant: MerchantRow,
  input: UpdateMerchantInput,
): Promise<MerchantRow> {
  return (await updateMerchantName(db, merchant.id, input.name, new Date())) ?? merchant;
}
