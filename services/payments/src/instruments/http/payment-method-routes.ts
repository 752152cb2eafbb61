import express, { type Router } from 'express';
import {
  attachPaymentMethodInputSchema,
  createPaymentMethodInputSchema,
  listAllPaymentMethodsQuerySchema,
  updatePaymentMethodInputSchema,
} from '@expe/contracts';
import { merchantPostRoute, parseInput, toPageRequest } from '@expe/server-kit';
import { attachPaymentMethod } from '../domain/attach-payment-method.js';
import type { PaymentsContext } from '../../shared/domain/context.js';
import { createPaymentMethod } from '../domain/create-payment-method.js';
import {
  detachPaymentMethod,
  getPaymentMethod,
  listProjectPaymentMethods,
} from '../domain/get-customer.js';
import { toPaymentMethodResource } from '../domain/instrument-resources.js';
import { updatePaymentMethod } from '../domain/update-payment-method.js';
import { emptyBodySchema } from '../../shared/http/queries.js';
import { listAndRetrieveRoutes, objectPostRoute } from '../../shared/http/route-helpers.js';

const paymentMethod = { prefix: 'pm', what: 'payment_method' };

function parsePaymentMethodsQuery(query: unknown) {
  const parsed = parseInput(listAllPaymentMethodsQuerySchema, query);
  return { page: toPageRequest(parsed), customerId: parsed.customer };
}

/** PaymentMethods: created, attached, updated, detached, listed; scoped by project and mode. */
export function paymentMethodRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  merchantPostRoute(
    router,
    '/v1/payment_methods',
    { body: createPaymentMethodInputSchema },
    async (tx, { scope, input }) => ({
      status: 201,
      body: toPaymentMethodResource(await createPaymentMethod(tx, scope, input)),
    }),
  );

  listAndRetrieveRoutes(router, '/v1/payment_methods', {
    id: paymentMethod,
    parse: parsePaymentMethodsQuery,
    list: (scope, { customerId, page }) =>
      listProjectPaymentMethods(db, { ...scope, customerId }, page),
    get: (scope, id) => getPaymentMethod(db, scope, id),
    render: toPaymentMethodResource,
  });

  objectPostRoute(
    router,
    '/v1/payment_methods/:id',
    { body: updatePaymentMethodInputSchema, id: paymentMethod },
    (tx, { scope, id, input }) => updatePaymentMethod(tx, scope, id, input),
    toPaymentMethodResource,
  );

  objectPostRoute(
    router,
    '/v1/payment_methods/:id/attach',
    { body: attachPaymentMethodInputSchema, id: paymentMethod },
    (tx, { scope, id, input }) => attachPaymentMethod(tx, scope, id, input.customer),
    toPaymentMethodResource,
  );

  objectPostRoute(
    router,
    '/v1/payment_methods/:id/detach',
    { body: emptyBodySchema, id: paymentMethod },
    (tx, { scope, id }) => detachPaymentMethod(tx, scope, id),
    toPaymentMethodResource,
  );

  return router;
}
