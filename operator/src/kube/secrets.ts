import type { V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';
import type { ObjectKey } from './custom-resources.js';

/** Label on every Secret the operator writes, so its informer watches only those. */
export const managedByLabel = { 'app.kubernetes.io/managed-by': 'expe-operator' } as const;
export const managedBySelector = 'app.kubernetes.io/managed-by=expe-operator';

export interface DesiredSecret {
  key: ObjectKey;
  owner: V1OwnerReference;
  data: Record<string, string>;
  labels?: Record<string, string>;
}

function toSecret(desired: DesiredSecret): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: desired.key.name,
      namespace: desired.key.namespace,
      labels: { ...managedByLabel, ...desired.labels },
      ownerReferences: [desired.owner],
    },
    stringData: desired.data,
  };
}

export async function readSecret(kube: KubeClients, key: ObjectKey): Promise<V1Secret | undefined> {
  try {
    return await kube.core.readNamespacedSecret(key);
  } catch (error) {
    if (isApiStatus(error, 404)) return undefined;
    throw error;
  }
}

/** Creates the Secret; false when one of that name is already there (it is never overwritten). */
export async function createSecretOnce(
  kube: KubeClients,
  desired: DesiredSecret,
): Promise<boolean> {
  try {
    await kube.core.createNamespacedSecret({
      namespace: desired.key.namespace,
      body: toSecret(desired),
    });
    return true;
  } catch (error) {
    if (isApiStatus(error, 409)) return false;
    throw error;
  }
}

/** Writes the Secret whatever is there: only for drift repair, after a key was reissued. */
export async function writeSecret(kube: KubeClients, desired: DesiredSecret): Promise<void> {
  if (await createSecretOnce(kube, desired)) return;
  const body = toSecret(desired);
  await kube.core.replaceNamespacedSecret({ ...desired.key, body });
}

export function decodeSecretValue(secret: V1Secret, name: string): string | undefined {
  const encoded = secret.data?.[name];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}
