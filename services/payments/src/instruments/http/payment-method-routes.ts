import express, { type Router } from 'express';
import {
  attachPaymentMethodInputSchema,
  createPaymentMethodInputSchema,
  listAllPaymentMethodsQuerySchema,
  updatePaymentMethodInputSchema,
} from '@expe/contracts';
import {
  listRoute,
  merchantPostRoute,
  parseInput,
  retrieveRoute,
  toPageRequest,
} from '@expe/server-kit';
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

  listRoute(
    router,
    '/v1/payment_methods',
    parsePaymentMethodsQuery,
    (scope, query) =>
      listProjectPaymentMethods(db, { ...scope, customerId: query.customerId }, query.page),
    toPaymentMethodResource,
  );

  retrieveRoute(
    router,
    '/v1/payment_methods/:id',
    paymentMethod,
    (scope, id) => getPaymentMethod(db, scope, id),
    toPaymentMethodResource,
  );

  merchantPostRoute(
    router,
    '/v1/payment_methods/:id',
    { body: updatePaymentMethodInputSchema, id: paymentMethod },
    async (tx, { scope, id, input }) => ({
      status: 200,
      body: toPaymentMethodResource(await updatePaymentMethod(tx, scope, id, input)),
    }),
  );

  merchantPostRoute(
    router,
    '/v1/payment_methods/:id/attach',
    { body: attachPaymentMethodInputSchema, id: paymentMethod },
    async (tx, { scope, id, input }) => ({
      status: 200,
      body: toPaymentMethodResource(await attachPaymentMethod(tx, scope, id, input.customer)),
    }),
  );

  merchantPostRoute(
    router,
    '/v1/payment_methods/:id/detach',
    { body: emptyBodySchema, id: paymentMethod },
    async (tx, { scope, id }) => ({
      status: 200,
      body: toPaymentMethodResource(await detachPaymentMethod(tx, scope, id)),
    }),
  );

  return router;
}
