import { notFound, type Executor, type Page, type PageRequest, type Scope } from '@expe/server-kit';
import type { UpdateChargeInput } from '@expe/contracts';
import {
  findScopedCharge,
  listCharges,
  updateScopedCharge,
  type ChargeRow,
} from '../db/charge-repository.js';
import { findPayment } from '../db/payment-repository.js';
import { recordChargeEvent } from './payment-events.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';

export async function getCharge(db: Executor, scope: Scope, id: string): Promise<ChargeRow> {
  const charge = await findScopedCharge(db, scope, id);
  if (!charge) throw notFound('charge', id);
  return charge;
}

export function listMerchantCharges(
  db: Executor,
  filter: Scope & { paymentId?: string | undefined; customerId?: string | undefined },
  page: PageRequest,
): Promise<Page<ChargeRow>> {
  return listCharges(db, filter, page);
}

/** `null` and "" clear a field; an absent field stays as it is. */
const cleared = (value: string | null | undefined) =>
  value === undefined ? undefined : value === '' ? null : value;

/**
 * Changes what a charge carries for the merchant (description, receipt_email, metadata merged by
 * Stripe's rules), under the charge's row lock, in any status: none of it moves money. Records
 * `charge.updated` when something changed, as Stripe does.
 */
export async function updateCharge(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdateChargeInput,
): Promise<ChargeRow> {
  const charge = await findScopedCharge(tx, scope, id, { lock: true });
  if (!charge) throw notFound('charge', id);
  const changes = {
    description: cleared(input.description),
    receiptEmail: cleared(input.receipt_email),
    metadata: mergeMetadata(charge.metadata, input.metadata),
  };
  const named = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(named).length === 0) return charge;
  const now = new Date();
  const updated = await updateScopedCharge(tx, scope, id, { ...named, updatedAt: now });
  const payment = await findPayment(tx, charge.paymentId);
  if (!payment) throw new Error(`the payment of charge ${id} is missing`);
  await recordChargeEvent(tx, 'charge.updated', updated, payment, now);
  return updated;
}
