import express, { type Router } from 'express';
import { parseInput } from '@expe/server-kit';
import { createCustomerInputSchema, updateCustomerInputSchema } from '@expe/contracts';
import type { PaymentsContext } from '../domain/context.js';
import { createCustomer } from '../domain/create-customer.js';
import {
  detachPaymentMethod,
  getCustomer,
  getPaymentMethod,
  listCustomerPaymentMethods,
  listMerchantCustomers,
} from '../domain/get-customer.js';
import { toCustomerResource, toPaymentMethodResource } from '../domain/instrument-resources.js';
import { deleteCustomer, updateCustomer } from '../domain/update-customer.js';
import { parseCustomersQuery, parsePageQuery } from './instrument-queries.js';
import { emptyBodySchema } from './queries.js';
import {
  idempotencyScope,
  pathId,
  secretKeyScope,
  sendIdempotent,
  toListResource,
} from './route-helpers.js';

/** Customers and their saved cards (DESIGN §9), all scoped by the key's merchant and mode. */
export function customerRoutes(ctx: PaymentsContext): Router {
  const router = express.Router();
  const { db } = ctx;

  router.post('/v1/customers', async (req, res) => {
    const scope = secretKeyScope(res);
    const input = parseInput(createCustomerInputSchema, req.body);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => ({
      status: 201,
      body: toCustomerResource(await createCustomer(tx, scope, input)),
    }));
  });

  router.get('/v1/customers', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parseCustomersQuery(req.query);
    const page = await listMerchantCustomers(db, { ...scope, email: query.email }, query.page);
    res.json(toListResource(page, toCustomerResource));
  });

  router.get('/v1/customers/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'cus', 'customer');
    res.json(toCustomerResource(await getCustomer(db, scope, id)));
  });

  router.post('/v1/customers/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'cus', 'customer');
    const input = parseInput(updateCustomerInputSchema, req.body);
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => ({
      status: 200,
      body: toCustomerResource(await updateCustomer(tx, scope, id, input)),
    }));
  });

  router.delete('/v1/customers/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'cus', 'customer');
    const deleted = await deleteCustomer(db, scope, id);
    res.json({ id: deleted.id, object: 'customer', deleted: true });
  });

  router.get('/v1/customers/:id/payment_methods', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'cus', 'customer');
    const page = await listCustomerPaymentMethods(db, scope, id, parsePageQuery(req.query, 'pm'));
    res.json(toListResource(page, toPaymentMethodResource));
  });

  router.get('/v1/payment_methods/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'pm', 'payment_method');
    res.json(toPaymentMethodResource(await getPaymentMethod(db, scope, id)));
  });

  router.post('/v1/payment_methods/:id/detach', async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, 'pm', 'payment_method');
    parseInput(emptyBodySchema, req.body ?? {});
    await sendIdempotent(req, res, ctx, idempotencyScope(res.locals.principal), async (tx) => ({
      status: 200,
      body: toPaymentMethodResource(await detachPaymentMethod(tx, scope, id)),
    }));
  });

  return router;
}
