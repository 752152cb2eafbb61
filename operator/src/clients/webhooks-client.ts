import type { WebhookEndpointResource } from '@expe/contracts';
import { createServiceClient, type Principal, type IdentitySigner } from '@expe/server-kit';
import { expectStatus } from './merchants-client.js';

/** Whose endpoints these are: the identity of an API key of that merchant, project and mode. */
export interface EndpointOwner {
  keyId: string;
  merchantId: string;
  projectId: string;
  mode: 'test' | 'live';
}

export interface EndpointSettings {
  url: string;
  enabledEvents: string[];
  description: string;
}

/**
 * The webhooks service has no internal API: the operator uses the public one, presenting the
 * identity the gateway would sign for a secret key of the endpoint's merchant, project and mode.
 */
export function createWebhooksClient(options: { baseUrl: string; signer: IdentitySigner }) {
  const call = createServiceClient({ ...options, audience: 'webhooks' });
  const as = (owner: EndpointOwner): Principal => ({
    kind: 'api_key',
    keyType: 'secret',
    ...owner,
  });
  return {
    async create(owner: EndpointOwner, settings: EndpointSettings) {
      const response = await call<WebhookEndpointResource>(
        'POST',
        '/v1/webhook_endpoints',
        {
          url: settings.url,
          enabled_events: settings.enabledEvents,
          description: settings.description,
        },
        as(owner),
      );
      return expectStatus('create webhook endpoint', response, [201]);
    },
    async get(owner: EndpointOwner, id: string) {
      const response = await call<WebhookEndpointResource>(
        'GET',
        `/v1/webhook_endpoints/${id}`,
        undefined,
        as(owner),
      );
      if (response.status === 404) return undefined;
      return expectStatus('read webhook endpoint', response, [200]);
    },
    /** The endpoint carrying this description, to adopt one created before a crash. */
    async findByDescription(owner: EndpointOwner, description: string) {
      let startingAfter: string | undefined;
      for (;;) {
        const query = `?limit=100${startingAfter ? `&starting_after=${startingAfter}` : ''}`;
        const response = await call<{ data: WebhookEndpointResource[]; has_more: boolean }>(
          'GET',
          `/v1/webhook_endpoints${query}`,
          undefined,
          as(owner),
        );
        const page = expectStatus('list webhook endpoints', response, [200]);
        const found = page.data.find((endpoint) => endpoint.description === description);
        if (found) return found;
        const last = page.data.at(-1);
        if (!page.has_more || !last) return undefined;
        startingAfter = last.id;
      }
    },
    async update(
      owner: EndpointOwner,
      id: string,
      input: { url: string; enabled_events: string[]; disabled: boolean },
    ) {
      const response = await call<WebhookEndpointResource>(
        'POST',
        `/v1/webhook_endpoints/${id}`,
        input,
        as(owner),
      );
      return expectStatus('update webhook endpoint', response, [200]);
    },
    /** A new signing secret; the previous one keeps signing for `overlapSeconds` (0: stops now). */
    async rotateSecret(owner: EndpointOwner, id: string, overlapSeconds = 0) {
      const response = await call<WebhookEndpointResource>(
        'POST',
        `/v1/webhook_endpoints/${id}/rotate_secret`,
        { expires_in: overlapSeconds },
        as(owner),
      );
      return expectStatus('rotate webhook secret', response, [200]);
    },
    /** Deleting a missing endpoint is done already: false, true when it deleted one. */
    async delete(owner: EndpointOwner, id: string): Promise<boolean> {
      const response = await call('DELETE', `/v1/webhook_endpoints/${id}`, undefined, as(owner));
      if (response.status === 404) return false;
      expectStatus('delete webhook endpoint', response, [200]);
      return true;
    },
  };
}
export type WebhooksClient = ReturnType<typeof createWebhooksClient>;
