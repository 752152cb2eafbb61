import { newId, type Executor } from '@expe/server-kit';
import type { CreateCustomerInput } from '@expe/contracts';
import { insertCustomer, type CustomerRow } from '../db/customer-repository.js';
import type { Scope } from '@expe/server-kit';
import { storedShipping, toCustomerResource } from './instrument-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

/** A customer of the merchant in the key's mode, and its `customer.created` event. */
export async function createCustomer(
  tx: Executor,
  scope: Scope,
  input: CreateCustomerInput,
): Promise<CustomerRow> {
  const now = new Date();
  const customer = await insertCustomer(tx, scope, {
    id: newId('cus'),
    email: input.email ?? null,
    name: input.name ?? null,
    description: input.description ?? null,
    phone: input.phone ?? null,
    shipping: input.shipping ? storedShipping(input.shipping) : null,
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  });
  await recordInstrumentEvent(tx, 'customer.created', customer, toCustomerResource(customer), now);
  return customer;
}
