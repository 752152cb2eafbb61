import type {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryAttemptResource,
  WebhookEndpointResource,
} from '@expe/contracts';
import { api, type ListPage } from '../../lib/api';

export const webhookKeys = {
  all: ['webhooks'] as const,
  endpoints: (keyId: string) => ['webhooks', keyId, 'endpoints'] as const,
  attempts: (keyId: string, endpointId: string, event: string, cursor?: string) =>
    ['webhooks', keyId, 'attempts', endpointId, event, cursor ?? 'first'] as const,
};

const withKey = (secret: string) => ({ bearer: secret });

export const listEndpoints = (secret: string) =>
  api<ListPage<WebhookEndpointResource>>('/v1/webhook_endpoints', {
    auth: withKey(secret),
    query: { limit: 100 },
  });

export const createEndpoint = (secret: string, input: CreateWebhookEndpointInput) =>
  api<WebhookEndpointResource>('/v1/webhook_endpoints', {
    method: 'POST',
    body: input,
    auth: withKey(secret),
  });

export const updateEndpoint = (secret: string, id: string, input: UpdateWebhookEndpointInput) =>
  api<WebhookEndpointResource>(`/v1/webhook_endpoints/${id}`, {
    method: 'POST',
    body: input,
    auth: withKey(secret),
  });

export const deleteEndpoint = (secret: string, id: string) =>
  api<unknown>(`/v1/webhook_endpoints/${id}`, { method: 'DELETE', auth: withKey(secret) });

export const rotateEndpointSecret = (secret: string, id: string, expiresIn: number) =>
  api<WebhookEndpointResource>(`/v1/webhook_endpoints/${id}/rotate_secret`, {
    method: 'POST',
    body: { expires_in: expiresIn },
    auth: withKey(secret),
  });

export const sendTestEvent = (secret: string, id: string) =>
  api<unknown>(`/v1/webhook_endpoints/${id}/test`, {
    method: 'POST',
    body: {},
    auth: withKey(secret),
  });

export const listAttempts = (
  secret: string,
  endpointId: string,
  event?: string,
  startingAfter?: string,
  limit = 20,
) =>
  api<ListPage<WebhookDeliveryAttemptResource>>(`/v1/webhook_endpoints/${endpointId}/deliveries`, {
    auth: withKey(secret),
    query: { limit, event: event || undefined, starting_after: startingAfter },
  });
