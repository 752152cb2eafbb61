import { notFound, type Executor } from '@expe/server-kit';
import type { Page, PageRequest } from '@expe/server-kit';
import type { Scope } from '@expe/server-kit';
import type { UpdateRefundInput } from '@expe/contracts';
import {
  findScopedRefund,
  listRefunds,
  lockScopedRefund,
  updateScopedRefundMetadata,
  type RefundRow,
} from '../db/refund-repository.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';

export async function getRefund(db: Executor, scope: Scope, id: string): Promise<RefundRow> {
  const refund = await findScopedRefund(db, scope, id);
  if (!refund) throw notFound('refund', id);
  return refund;
}

export function listMerchantRefunds(
  db: Executor,
  filter: Scope & { paymentId?: string | undefined },
  page: PageRequest,
): Promise<Page<RefundRow>> {
  return listRefunds(db, filter, page);
}

/** Merges metadata into the refund's by Stripe's rules, the only thing a refund lets change. */
export async function updateRefund(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdateRefundInput,
): Promise<RefundRow> {
  const refund = await lockScopedRefund(tx, scope, id);
  if (!refund) throw notFound('refund', id);
  const metadata = mergeMetadata(refund.metadata, input.metadata);
  if (metadata === undefined) return refund;
  return updateScopedRefundMetadata(tx, scope, id, metadata);
}
