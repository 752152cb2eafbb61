import type { WebhookEndpoint } from '../../api/v1alpha1/index.js';
import type { EndpointOwner, WebhooksClient } from '../../clients/webhooks-client.js';

/** Where the endpoint's owner identity is kept, so deletion works after the Merchant is gone. */
export const ownerAnnotation = 'expe.dev/endpoint-owner';

/**
 * The description that marks an endpoint as this resource's, to adopt it after a crash or a
 * restore (namespace/name, not the UID: a restored resource has a new UID and maybe no status).
 */
export const endpointDescription = (endpoint: WebhookEndpoint) =>
  `managed by expe-operator: ${endpoint.metadata?.namespace}/${endpoint.metadata?.name}`;

export function readOwner(endpoint: WebhookEndpoint): EndpointOwner | undefined {
  const raw = endpoint.metadata?.annotations?.[ownerAnnotation];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as EndpointOwner;
  } catch {
    return undefined;
  }
}

/**
 * Deletes the endpoint registered for this resource (by its status, else by its description)
 * with the identity kept in its annotation. Returns the id it deleted, or undefined when nothing
 * was registered or it was gone already.
 */
export async function deleteRegisteredEndpoint(
  webhooks: WebhooksClient,
  endpoint: WebhookEndpoint,
): Promise<string | undefined> {
  const owner = readOwner(endpoint);
  if (!owner) return undefined;
  const id =
    endpoint.status?.endpointId ??
    (await webhooks.findByDescription(owner, endpointDescription(endpoint)))?.id;
  if (!id) return undefined;
  return (await webhooks.delete(owner, id)) ? id : undefined;
}
