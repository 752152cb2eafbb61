import type { V1Secret } from '@kubernetes/client-node';
import { keyOf } from '../../kube/custom-resources.js';
import { objectKeyOf, type SharedInformers } from '../../kube/informers.js';
import type { WorkQueue } from '../work-queue.js';

/**
 * What sends a Merchant through reconcile: any change to it, and any change to a Secret it
 * controls (a deleted or edited key Secret is drift to repair).
 */
export function watchMerchants(informers: SharedInformers, queue: WorkQueue): void {
  informers.merchants.onChange((merchant) => queue.add(objectKeyOf(merchant)));
  informers.secrets.onChange((object) => {
    const secret = object as V1Secret;
    for (const owner of secret.metadata?.ownerReferences ?? []) {
      if (owner.kind === 'Merchant' && owner.controller) {
        queue.add(keyOf({ namespace: secret.metadata?.namespace ?? '', name: owner.name }));
      }
    }
  });
}
