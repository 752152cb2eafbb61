import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@expe/server-kit';
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
import { createWebhookEndpoint } from '../domain/create-webhook-endpoint.js';
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
import { currentTraceparent, scopeOf } from './route-deps.js';
import { toListResource, toPageRequest } from './serializers.js';

const emptyInputSchema = z.strictObject({});

/** A response carrying a signing secret must not be kept by any cache on the way. */
function noStore(res: Response): Response {
  return res.setHeader('Cache-Control', 'no-store');
}

export function webhookEndpointRoutes(ctx: WebhooksContext): Router {
  const router = express.Router();
  const { db } = ctx;

  router.post('/v1/webhook_endpoints', async (req, res) => {
    const scope = scopeOf(res);
    const input = parseInput(createWebhookEndpointInputSchema, req.body);
    const { endpoint, secret } = await createWebhookEndpoint(ctx, scope, input);
    noStore(res).status(201).json(toWebhookEndpointResource(endpoint, secret));
  });

  router.get('/v1/webhook_endpoints', async (req, res) => {
    const scope = scopeOf(res);
    const query = parseInput(listWebhookEndpointsQuerySchema, req.query);
    const page = await listWebhookEndpoints(db, scope, toPageRequest(query));
    res.json(toListResource(page, (row) => toWebhookEndpointResource(row)));
  });

  router.get('/v1/webhook_endpoints/:id', async (req, res) => {
    const scope = scopeOf(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    res.json(toWebhookEndpointResource(await getWebhookEndpoint(db, scope, id)));
  });

  router.post('/v1/webhook_endpoints/:id', async (req, res) => {
    const scope = scopeOf(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    const input = parseInput(updateWebhookEndpointInputSchema, req.body);
    res.json(toWebhookEndpointResource(await updateWebhookEndpoint(ctx, scope, id, input)));
  });

  router.delete('/v1/webhook_endpoints/:id', async (req, res) => {
    const scope = scopeOf(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    const endpoint = await deleteWebhookEndpoint(db, scope, id);
    res.json({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
  });

  router.post('/v1/webhook_endpoints/:id/rotate_secret', async (req, res) => {
    const scope = scopeOf(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    const input = parseInput(rotateWebhookSecretInputSchema, req.body);
    const { endpoint, secret } = await rotateEndpointSecret(ctx, scope, id, input);
    noStore(res).json(toWebhookEndpointResource(endpoint, secret));
  });

  router.post('/v1/webhook_endpoints/:id/test', async (req, res) => {
    const scope = scopeOf(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    parseInput(emptyInputSchema, req.body);
    const { delivery, event } = await sendTestEvent(ctx, scope, id, currentTraceparent());
    res.status(202).json(toWebhookDeliveryResource(delivery, event));
  });

  router.get('/v1/webhook_endpoints/:id/deliveries', async (req, res) => {
    const scope = scopeOf(res);
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

  router.post('/v1/webhook_endpoints/:id/redeliver', async (req, res) => {
    const scope = scopeOf(res);
    const { id } = parseInput(webhookEndpointParamsSchema, req.params);
    const input = parseInput(redeliverWebhookEventInputSchema, req.body);
    const { delivery, event } = await redeliverEvent(
      ctx,
      scope,
      id,
      input.event,
      currentTraceparent(),
    );
    res.status(202).json(toWebhookDeliveryResource(delivery, event));
  });

  return router;
}
