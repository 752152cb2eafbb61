import type { CreateCustomerInput, CustomerResource, PaymentMethodResource } from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

/** Query keys include the key id: another project or mode is another cache entry. */
export const customerKeys = {
  list: (keyId: string, cursor?: string) =>
    ['customers', keyId, 'list', cursor ?? 'first'] as const,
  cards: (keyId: string, customerId: string) => ['customers', keyId, 'cards', customerId] as const,
};

const withKey = (secret: string) => ({ bearer: secret });

export const listCustomers = (secret: string, startingAfter?: string) =>
  api<ListPage<CustomerResource>>('/v1/customers', {
    auth: withKey(secret),
    query: { limit: 20, starting_after: startingAfter },
  });

export const createCustomer = (secret: string, input: CreateCustomerInput) =>
  api<CustomerResource>('/v1/customers', { method: 'POST', auth: withKey(secret), body: input });

export const listSavedCards = (secret: string, customerId: string) =>
  api<ListPage<PaymentMethodResource>>(`/v1/customers/${customerId}/payment_methods`, {
    auth: withKey(secret),
    query: { limit: 100 },
  });

export const detachSavedCard = (secret: string, paymentMethodId: string) =>
  api<PaymentMethodResource>(`/v1/payment_methods/${paymentMethodId}/detach`, {
    method: 'POST',
    auth: withKey(secret),
  });
