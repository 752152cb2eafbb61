import type { V1Secret } from '@kubernetes/client-node';
import { keyOf } from '../../kube/custom-resources.js';
import { objectKeyOf, type SharedInformers } from '../../kube/informers.js';
import type { WorkQueue } from '../work-queue.js';

/**
 * What sends a Sandbox through reconcile: a change to it, to the Secret it controls (a deleted
 * or edited key Secret is drift to repair), or to the Merchant it names (it waits for that
 * Merchant to be Ready). Its end comes from the requeue each pass asks for.
 */
export function watchSandboxes(informers: SharedInformers, queue: WorkQueue): void {
  informers.sandboxes.onChange((sandbox) => queue.add(objectKeyOf(sandbox)));
  informers.secrets.onChange((object) => {
    const secret = object as V1Secret;
    for (const owner of secret.metadata?.ownerReferences ?? []) {
      if (owner.kind === 'Sandbox' && owner.controller) {
        queue.add(keyOf({ namespace: secret.metadata?.namespace ?? '', name: owner.name }));
      }
    }
  });
  informers.merchants.onChange((merchant) => {
    const namespace = merchant.metadata?.namespace ?? '';
    for (const sandbox of informers.sandboxes.list(namespace)) {
      if (sandbox.spec.merchantRef.name === merchant.metadata?.name) {
        queue.add(objectKeyOf(sandbox));
      }
    }
  });
}
