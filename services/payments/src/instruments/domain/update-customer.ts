import { notFound, withTransaction, type Database, type Executor } from '@expe/server-kit';
import type { UpdateCustomerInput } from '@expe/contracts';
import {
  detachPaymentMethods,
  lockScopedCustomer,
  updateCustomerRow,
  type CustomerChanges,
  type CustomerRow,
} from '../db/customer-repository.js';
import type { Scope } from '@expe/server-kit';
import { mergeMetadata } from '../../shared/domain/metadata.js';
import {
  storedShipping,
  toCustomerResource,
  toPaymentMethodResource,
} from './instrument-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

/** `null` and "" clear a field; an absent field stays as it is. */
const cleared = (value: string | null | undefined) =>
  value === undefined ? undefined : value === '' ? null : value;

/**
 * Sets the fields the update names; `customer.updated` only when something changed (its
 * `previous_attributes` say what it was, as Stripe's do).
 */
export async function updateCustomer(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdateCustomerInput,
): Promise<CustomerRow> {
  const customer = await lockScopedCustomer(tx, scope, id);
  if (!customer) throw notFound('customer', id);
  const wanted: CustomerChanges = {
    email: cleared(input.email),
    name: cleared(input.name),
    description: cleared(input.description),
    phone: cleared(input.phone),
    shipping:
      input.shipping === undefined
        ? undefined
        : input.shipping === '' || input.shipping === null
          ? null
          : storedShipping(input.shipping),
    metadata: mergeMetadata(customer.metadata, input.metadata),
  };
  const changes: CustomerChanges = {};
  const previous: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(wanted) as [keyof CustomerChanges, never][]) {
    if (value === undefined) continue;
    if (JSON.stringify(customer[field]) === JSON.stringify(value)) continue;
    changes[field] = value;
    previous[field] = customer[field];
  }
  if (Object.keys(changes).length === 0) return customer;
  const now = new Date();
  const updated = await updateCustomerRow(tx, id, { ...changes, updatedAt: now });
  await recordInstrumentEvent(
    tx,
    'customer.updated',
    updated,
    { ...toCustomerResource(updated), previous_attributes: previous },
    now,
  );
  return updated;
}

/**
 * Deletes the customer (kept for the payments that name it, read as missing from now on) and
 * detaches its saved cards, so none of them can be charged again.
 */
export function deleteCustomer(db: Database, scope: Scope, id: string): Promise<CustomerRow> {
  return withTransaction(db, (tx) => deleteCustomerIn(tx, scope, id));
}

async function deleteCustomerIn(tx: Executor, scope: Scope, id: string): Promise<CustomerRow> {
  const customer = await lockScopedCustomer(tx, scope, id);
  if (!customer) throw notFound('customer', id);
  const now = new Date();
  for (const card of await detachPaymentMethods(tx, { customerId: id }, now)) {
    await recordInstrumentEvent(
      tx,
      'payment_method.detached',
      card,
      { ...toPaymentMethodResource(card), previous_attributes: { customer: id } },
      now,
    );
  }
  const deleted = await updateCustomerRow(tx, id, { deletedAt: now, updatedAt: now });
  await recordInstrumentEvent(
    tx,
    'customer.deleted',
    deleted,
    { ...toCustomerResource(deleted), deleted: true },
    now,
  );
  return deleted;
}
