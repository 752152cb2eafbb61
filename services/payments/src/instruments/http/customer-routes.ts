import {
  listRoute,
  merchantPostRoute,
  pathId,
  retrieveRoute,
  secretKeyScope,
} from '@expe/server-kit';
import express, { type Router } from 'express';
import { createCustomerInputSchema, updateCustomerInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createCustomer } from '../domain/create-customer.js';
import {
  listCustomerPaymentMethods,
  listMerchantCustomers,
  retrieveCustomer,
} from '../domain/get-customer.js';
import { toCustomerResource, toPaymentMethodResource } from '../domain/instrument-resources.js';
import { deleteCustomer, updateCustomer } from '../domain/update-customer.js';
import { parseCustomersQuery, parsePageQuery } from '../../shared/http/queries.js';
import { objectPostRoute } from '../../shared/http/route-helpers.js';

const customer = { prefix: 'cus', what: 'customer' };
const deletedCustomer = (row: { id: string }) => ({
  id: row.id,
  object: 'customer' as const,
  deleted: true as const,
});

/** Customers and the list of their saved cards, all scoped by the key's project and mode. */
export function customerRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  merchantPostRoute(
    router,
    '/v1/customers',
    { body: createCustomerInputSchema },
    async (tx, { scope, input }) => ({
      status: 201,
      body: toCustomerResource(await createCustomer(tx, scope, input)),
    }),
  );

  listRoute(
    router,
    '/v1/customers',
    parseCustomersQuery,
    (scope, query) => listMerchantCustomers(db, { ...scope, email: query.email }, query.page),
    toCustomerResource,
  );

  // A deleted customer reads as Stripe's deleted object (200), as the DELETE answered.
  retrieveRoute(
    router,
    '/v1/customers/:id',
    customer,
    (scope, id) => retrieveCustomer(db, scope, id),
    (row) => (row.deletedAt ? deletedCustomer(row) : toCustomerResource(row)),
  );

  objectPostRoute(
    router,
    '/v1/customers/:id',
    { body: updateCustomerInputSchema, id: customer },
    (tx, { scope, id, input }) => updateCustomer(tx, scope, id, input),
    toCustomerResource,
  );

  router.delete('/v1/customers/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, customer.prefix, customer.what);
    res.json(deletedCustomer(await deleteCustomer(db, scope, id)));
  });

  listRoute(
    router,
    '/v1/customers/:id/payment_methods',
    (query) => parsePageQuery(query, 'pm'),
    (scope, page, id) => listCustomerPaymentMethods(db, scope, id, page),
    toPaymentMethodResource,
    customer,
  );

  return router;
}
