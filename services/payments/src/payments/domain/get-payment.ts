import type { Scope } from '@expe/server-kit';
import { notFound, type Executor } from '@expe/server-kit';
import {
  findPayment,
  findScopedPayment,
  listPayments,
  type PaymentFilter,
  type PaymentRow,
} from '../db/payment-repository.js';
import type { Page, PageRequest } from '@expe/server-kit';
import type { PaymentLinks } from './resources.js';

/**
 * How a caller may read a payment: as its merchant (a key of the same merchant and mode), or
 * as its checkout page (holding the client secret).
 */
export type PaymentAccess =
  { kind: 'merchant'; scope: Scope } | { kind: 'client_secret'; clientSecret: string };

/** The payment, or 404 alike for "does not exist", "not yours" and "wrong client secret". */
export async function getPayment(
  db: Executor,
  links: PaymentLinks,
  id: string,
  access: PaymentAccess,
): Promise<PaymentRow> {
  const payment =
    access.kind === 'merchant'
      ? await findScopedPayment(db, access.scope, id)
      : await findPayment(db, id);
  if (!payment) throw notFound('payment', id);
  if (access.kind === 'client_secret' && !links.isClientSecretOf(id, access.clientSecret)) {
    throw notFound('payment', id);
  }
  return payment;
}

export function listMerchantPayments(
  db: Executor,
  scope: Scope,
  filter: PaymentFilter,
  page: PageRequest,
): Promise<Page<PaymentRow>> {
  return listPayments(db, scope, filter, page);
}

/** A payment by id alone, for the gateway's question of who owns it; 404 when there is none. */
export async function getPaymentOwner(db: Executor, id: string): Promise<PaymentRow> {
  const payment = await findPayment(db, id);
  if (!payment) throw notFound('payment', id);
  return payment;
}
