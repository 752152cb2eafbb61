import {
  StripeError,
  toCustomer,
  toList,
  toSavedPaymentMethod,
  type ExpeCustomer,
  type ExpeSavedPaymentMethod,
  type ParsedParams,
} from '@expe/stripe-compat';
import {
  expectOk,
  listQuery,
  type ExpeList,
  type StripeHandler,
  type StripeRequest,
} from './handler.js';

const customerPath = (id: string) => `/v1/customers/${encodeURIComponent(id)}`;

/** Stripe's customer fields as Expe's (an empty value clears one, as in both APIs). */
function customerBody(params: ParsedParams, isUpdate: boolean) {
  const body: Record<string, unknown> = {};
  for (const name of ['email', 'name', 'description', 'phone'] as const) {
    const value = params[name];
    if (value === undefined) continue;
    if (value === null) {
      if (isUpdate) body[name] = null;
      continue;
    }
    body[name] = value;
  }
  // `shipping=` (null) removes the customer's shipping on an update; on a create it is none.
  if (params.shipping !== undefined && (isUpdate || params.shipping !== null)) {
    body.shipping = params.shipping;
  }
  // Merged by Expe with Stripe's rules: a key set to "" is removed, null (`metadata=`) empties it.
  if (params.metadata !== undefined && (isUpdate || params.metadata !== null)) {
    body.metadata = params.metadata;
  }
  return body;
}

/** What Expe answers for a deleted customer (and Stripe for a deleted Customer). */
export interface DeletedCustomer {
  id: string;
  object: 'customer';
  deleted: true;
}

/** Expe's customer as Stripe's; a deleted one stays its id and `deleted: true`, as in Stripe. */
export function stripeCustomerOf(customer: ExpeCustomer | DeletedCustomer) {
  if ('deleted' in customer && customer.deleted === true) {
    return { id: customer.id, object: 'customer', deleted: true } as const;
  }
  return toCustomer(customer as ExpeCustomer);
}

function missingCustomer(id: string, param = 'id') {
  return StripeError.resourceMissing('customer', id, param);
}

async function savedCardsOf(request: StripeRequest, customer: string, param: string) {
  const answer = await request.expe<ExpeList<ExpeSavedPaymentMethod>>(
    'GET',
    `${customerPath(customer)}/payment_methods${listQuery(request.params)}`,
  );
  if (answer.status === 404) throw missingCustomer(customer, param);
  const page = expectOk(answer);
  return toList(request.path, page.data.map(toSavedPaymentMethod), page.has_more);
}

export const customerHandlers: Record<string, StripeHandler> = {
  async create(request) {
    const answer = await request.expe<ExpeCustomer>('POST', '/v1/customers', {
      body: customerBody(request.params, false),
      idempotencyKey: request.idempotencyKey,
    });
    return { body: toCustomer(expectOk(answer)), isReplay: answer.isReplay };
  },

  async retrieve(request) {
    const answer = await request.expe<ExpeCustomer | DeletedCustomer>(
      'GET',
      customerPath(request.id),
    );
    if (answer.status === 404) throw missingCustomer(request.id);
    return { body: stripeCustomerOf(expectOk(answer)) };
  },

  async update(request) {
    const answer = await request.expe<ExpeCustomer>('POST', customerPath(request.id), {
      body: customerBody(request.params, true),
      idempotencyKey: request.idempotencyKey,
    });
    if (answer.status === 404) throw missingCustomer(request.id);
    return { body: toCustomer(expectOk(answer)), isReplay: answer.isReplay };
  },

  async delete(request) {
    const answer = await request.expe<{ id: string }>('DELETE', customerPath(request.id));
    if (answer.status === 404) throw missingCustomer(request.id);
    return { body: { id: expectOk(answer).id, object: 'customer', deleted: true } };
  },

  async list(request) {
    const email = request.params.email as string | undefined;
    const page = expectOk(
      await request.expe<ExpeList<ExpeCustomer>>(
        'GET',
        `/v1/customers${listQuery(request.params, { email })}`,
      ),
    );
    return { body: toList(request.path, page.data.map(toCustomer), page.has_more) };
  },

  async listPaymentMethods(request) {
    return { body: await savedCardsOf(request, request.id, 'customer') };
  },
};
