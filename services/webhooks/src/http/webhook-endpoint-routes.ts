import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import {
  idempotencyScope,
  parseInput,
  postRoute,
  secretKeyScope,
  toListResource,
  toPageRequest,
  type Database,
  type Scope,
} from '@expe/server-kit';
import {
  createWebhookEndpointInputSchema,
  listWebhookDeliveryAttemptsQuerySchema,
  listWebhookEndpointsQuerySchema,
  redeliverWebhookEventInputSchema,
  rotateWebhookSecretInputSchema,
  updateWebhookEndpointInputSchema,
  webhookEndpointParamsSchema,
} from '@expe/contracts';
import type { WebhooksContext } from '../domain/context.js';
import {
  createWebhookEndpoint,
  vetWebhookEndpointInput,
} from '../domain/create-webhook-endpoint.js';
import { deleteWebhookEndpoint } from '../domain/delete-webhook-endpoint.js';
import { getWebhookEndpoint } from '../domain/get-webhook-endpoint.js';
import { listDeliveryAttempts } from '../domain/list-delivery-attempts.js';
import { listWebhookEndpoints } from '../domain/list-webhook-endpoints.js';
import { redeliverEvent } from '../domain/redeliver-event.js';
import {
  toWebhookDeliveryAttemptResource,
  toWebhookDeliveryResource,
  toWebhookEndpointResource,
} from '../domain/resources.js';
import { rotateEndpointSecret } from '../domain/rotate-endpoint-secret.js';
import { sendTestEvent } from '../domain/send-test-event.js';
import { updateWebhookEndpoint } from '../domain/update-webhook-endpoint.js';
import { currentTraceparent } from './route-deps.js';

const emptyInputSchema = z.strictObject({});

/** A response carrying a signing secret must not be kept by any cache on the way. */
const noStore = { 'Cache-Control': 'no-store' };

/**
 * Every route acts in the scope of the caller's secret key: its project and mode (the operator
 * forwards a key of the project too). `ctx.db` is the database itself: each POST's transaction
 * is the one the kit opens under its Idempotency-Key (answers in webhooks.idempotency_keys,
 * sealed: create and rotate_secret answers carry a signing secret a replay shows again).
 */
export function webhookEndpointRoutes(ctx: WebhooksContext & { db: Database }): Router {
  const router = express.Router();
  const { db } = ctx;
  /** A key's Idempotency-Keys are its project's and mode's; a person's, per mode they act in. */
  const keysOf = (res: Response, command: { scope: Scope }) =>
    idempotencyScope(res.locals.principal, { mode: command.scope.mode });

  postRoute(router, '/v1/webhook_endpoints', {
    parse: (req, res) => ({
      scope: secretKeyScope(res),
      input: parseInput(createWebhookEndpointInputSchema, req.body),
    }),
    scope: keysOf,
    headers: noStore,
    prepare: ({ scope, input }) => vetWebhookEndpointInput(ctx, scope, input),
    run: async (tx, { scope, input }) => {
      const created = await createWebhookEndpoint({ ...ctx, db: tx }, scope, input, {
        isVetted: true,
      });
      return { status: 201, body: toWebhookEndpointResource(created.endpoint, created.secret) };
    },
  });

  router.get('/v1/webhook_endpoints', async (req, res) => {
    const scope = secretKeyScope(res);
    const query = parseInput(listWebhookEndpointsQuerySchema, req.query);
    const page = await listWebhookEndpoints(db, scope, toPageRequest(query));
    res.json(toListResource(page, (row) => toWebhookEndpointResource(row)));
  });

  router.get('/v1/webhook_endpoints/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    res.json(toWebhookEndpointResource(await getWebhookEndpoint(db, scope, id)));
  });

  postRoute(router, '/v1/webhook_endpoints/:id', {
    parse: (req, res) => ({
      scope: secretKeyScope(res),
      id: parseInput(webhookEndpointParamsSchema, req.params).id,
      input: parseInput(updateWebhookEndpointInputSchema, req.body),
    }),
    scope: keysOf,
    prepare: ({ scope, input }) => vetWebhookEndpointInput(ctx, scope, input),
    run: async (tx, { scope, id, input }) => {
      const updated = await updateWebhookEndpoint({ ...ctx, db: tx }, scope, id, input, {
        isVetted: true,
      });
      return { status: 200, body: toWebhookEndpointResource(updated) };
    },
  });

  router.delete('/v1/webhook_endpoints/:id', async (req, res) => {
    const scope = secretKeyScope(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    const endpoint = await deleteWebhookEndpoint(db, scope, id);
    res.json({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
  });

  postRoute(router, '/v1/webhook_endpoints/:id/rotate_secret', {
    parse: (req, res) => ({
      scope: secretKeyScope(res),
      id: parseInput(webhookEndpointParamsSchema, req.params).id,
      input: parseInput(rotateWebhookSecretInputSchema, req.body),
    }),
    scope: keysOf,
    headers: noStore,
    run: async (tx, { scope, id, input }) => {
      const rotated = await rotateEndpointSecret({ ...ctx, db: tx }, scope, id, input);
      return { status: 200, body: toWebhookEndpointResource(rotated.endpoint, rotated.secret) };
    },
  });

  postRoute(router, '/v1/webhook_endpoints/:id/test', {
    parse: (req, res) => {
      const scope = secretKeyScope(res);
      const { id } = parseInput(webhookEndpointParamsSchema, req.params);
      parseInput(emptyInputSchema, req.body);
      return { scope, id, traceparent: currentTraceparent() };
    },
    scope: keysOf,
    run: async (tx, { scope, id, traceparent }) => {
      const sent = await sendTestEvent({ ...ctx, db: tx }, scope, id, traceparent);
      const body = toWebhookDeliveryResource(sent.delivery, sent.event);
      return { status: 202, body, onCommit: sent.afterCommit };
    },
  });

  router.get('/v1/webhook_endpoints/:id/deliveries', async (req, res) => {
    const scope = secretKeyScope(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    const query = parseInput(listWebhookDeliveryAttemptsQuerySchema, req.query);
    const page = await listDeliveryAttempts(
      db,
      scope,
      id,
      { eventId: query.event },
      toPageRequest(query),
    );
    res.json(toListResource(page, toWebhookDeliveryAttemptResource));
  });

  postRoute(router, '/v1/webhook_endpoints/:id/redeliver', {
    parse: (req, res) => ({
      scope: secretKeyScope(res),
      id: parseInput(webhookEndpointParamsSchema, req.params).id,
      input: parseInput(redeliverWebhookEventInputSchema, req.body),
      traceparent: currentTraceparent(),
    }),
    scope: keysOf,
    run: async (tx, { scope, id, input, traceparent }) => {
      const sent = await redeliverEvent({ ...ctx, db: tx }, scope, id, input.event, traceparent);
      const body = toWebhookDeliveryResource(sent.delivery, sent.event);
      return { status: 202, body, onCommit: sent.afterCommit };
    },
  });

  return router;
}
