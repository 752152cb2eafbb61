import { AppError, notFound, type Executor, type Page, type PageRequest } from '@expe/server-kit';
import {
  detachPaymentMethods,
  findScopedCustomer,
  findScopedCustomerEvenDeleted,
  findScopedPaymentMethod,
  listCustomers,
  listPaymentMethodsOfCustomer,
  type CustomerRow,
  type PaymentMethodRow,
} from '../db/customer-repository.js';
import type { Scope } from '@expe/server-kit';
import { listScopedPaymentMethods } from '../db/payment-card-repository.js';
import { toPaymentMethodResource } from './instrument-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

export async function getCustomer(db: Executor, scope: Scope, id: string): Promise<CustomerRow> {
  const customer = await findScopedCustomer(db, scope, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

/**
 * What `GET /v1/customers/:id` shows: the customer, or for a deleted one Stripe's deleted object
 * (`deletedAt` set); another project's or an unknown id is 404.
 */
export async function retrieveCustomer(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<CustomerRow> {
  const customer = await findScopedCustomerEvenDeleted(db, scope, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

export function listMerchantCustomers(
  db: Executor,
  filter: Scope & { email?: string | undefined },
  page: PageRequest,
): Promise<Page<CustomerRow>> {
  return listCustomers(db, filter, page);
}

/** The customer's saved cards (404 for a customer that is not the merchant's, or deleted). */
export async function listCustomerPaymentMethods(
  db: Executor,
  scope: Scope,
  customerId: string,
  page: PageRequest,
): Promise<Page<PaymentMethodRow>> {
  await getCustomer(db, scope, customerId);
  return listPaymentMethodsOfCustomer(db, customerId, page);
}

/** The project's PaymentMethods, or one customer's (404 for a customer that is not the project's). */
export async function listProjectPaymentMethods(
  db: Executor,
  filter: Scope & { customerId?: string | undefined },
  page: PageRequest,
): Promise<Page<PaymentMethodRow>> {
  if (filter.customerId !== undefined) await getCustomer(db, filter, filter.customerId);
  return listScopedPaymentMethods(db, filter, page);
}

export async function getPaymentMethod(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<PaymentMethodRow> {
  const card = await findScopedPaymentMethod(db, scope, id);
  if (!card) throw notFound('payment_method', id);
  return card;
}

/** Detaches a PaymentMethod from its customer: it can never be used or attached again. */
export async function detachPaymentMethod(
  tx: Executor,
  scope: Scope,
  id: string,
): Promise<PaymentMethodRow> {
  const card = await getPaymentMethod(tx, scope, id);
  const now = new Date();
  const [detached] = await detachPaymentMethods(tx, { id: card.id }, now);
  if (!detached) {
    throw AppError.of(
      'resource_conflict',
      'This payment method is not attached to a customer, so it cannot be detached',
      { param: 'id' },
    );
  }
  await recordInstrumentEvent(
    tx,
    'payment_method.detached',
    detached,
    { ...toPaymentMethodResource(detached), previous_attributes: { customer: card.customerId } },
    now,
  );
  return detached;
}
