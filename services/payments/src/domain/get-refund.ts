import { notFound, type Executor } from '@expe/server-kit';
import type { Page, PageRequest } from '@expe/server-kit';
import type { Scope } from '@expe/server-kit';
import { findScopedRefund, listRefunds, type RefundRow } from '../db/refund-repository.js';

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
