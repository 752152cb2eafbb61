import type { V1Secret } from '@kubernetes/client-node';
import { keyOf } from '../../kube/custom-resources.js';
import { objectKeyOf, type SharedInformers } from '../../kube/informers.js';
import type { WorkQueue } from '../work-queue.js';

/**
 * What sends a WebhookEndpoint through reconcile: a change to it, to the signing Secret it
 * controls, or to the Merchant it names (it waits for that Merchant to be Ready).
 */
export function watchWebhookEndpoints(informers: SharedInformers, queue: WorkQueue): void {
  informers.webhookEndpoints.onChange((endpoint) => queue.add(objectKeyOf(endpoint)));
  informers.secrets.onChange((object) => {
    const secret = object as V1Secret;
    for (const owner of secret.metadata?.ownerReferences ?? []) {
      if (owner.kind === 'WebhookEndpoint' && owner.controller) {
        queue.add(keyOf({ namespace: secret.metadata?.namespace ?? '', name: owner.name }));
      }
    }
  });
  informers.merchants.onChange((merchant) => {
    const namespace = merchant.metadata?.namespace ?? '';
    for (const endpoint of informers.webhookEndpoints.list(namespace)) {
      if (endpoint.spec.merchantRef.name === merchant.metadata?.name) {
        queue.add(objectKeyOf(endpoint));
      }
    }
  });
}
