import type { V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';
import type { ObjectKey } from './custom-resources.js';

/** Label on every Secret the operator writes, so its informer watches only those. */
export const managedByLabelName = 'app.kubernetes.io/managed-by';
export const managedByLabel = { [managedByLabelName]: 'expe-operator' } as const;
export const managedBySelector = 'app.kubernetes.io/managed-by=expe-operator';

export interface DesiredSecret {
  key: ObjectKey;
  owner: V1OwnerReference;
  data: Record<string, string>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** On a key or signing Secret: the rotation trigger its current secret answers to. */
export const rotationAnnotation = 'expe.dev/rotation-trigger';

function toSecret(desired: DesiredSecret): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: desired.key.name,
      namespace: desired.key.namespace,
      labels: { ...managedByLabel, ...desired.labels },
      ...(desired.annotations ? { annotations: desired.annotations } : {}),
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

/** A Secret of the wanted name exists and is not this resource's: it is never touched. */
export class SecretConflictError extends Error {
  override name = 'SecretConflictError';
  constructor(
    readonly secretName: string,
    readonly holder: string,
  ) {
    super(`Secret ${secretName} exists and is not owned by this resource (${holder})`);
  }
}

/**
 * Whether the Secret is this resource's: written by the operator and controlled by the resource
 * of that kind and name. The name, not the UID, decides, so a restored resource (new UID) keeps
 * its Secrets; two resources never share a name within a namespace.
 */
export function isOwnedBy(
  secret: V1Secret,
  owner: Pick<V1OwnerReference, 'kind' | 'name' | 'apiVersion'>,
): boolean {
  const group = owner.apiVersion.split('/')[0];
  return (
    secret.metadata?.labels?.[managedByLabelName] === managedByLabel[managedByLabelName] &&
    (secret.metadata?.ownerReferences ?? []).some(
      (ref) =>
        ref.controller === true &&
        ref.kind === owner.kind &&
        ref.name === owner.name &&
        ref.apiVersion.split('/')[0] === group,
    )
  );
}

/** Who holds a Secret, for the conflict message (never its data). */
export function describeHolder(secret: V1Secret): string {
  const controller = secret.metadata?.ownerReferences?.find((ref) => ref.controller);
  if (controller) return `controlled by ${controller.kind} ${controller.name}`;
  return 'not created by expe-operator';
}

/**
 * Creates the Secret, or replaces it when this resource already owns it (a reissued or rolled
 * key). A Secret of that name that someone else owns is left exactly as it is:
 * SecretConflictError. The replace carries the resourceVersion that was checked, so a Secret
 * swapped in between fails with 409 instead of being overwritten.
 */
export async function writeOwnedSecret(
  kube: KubeClients,
  desired: DesiredSecret,
): Promise<'created' | 'updated'> {
  if (await createSecretOnce(kube, desired)) return 'created';
  const existing = await readSecret(kube, desired.key);
  if (!existing) {
    if (await createSecretOnce(kube, desired)) return 'created';
    throw new Error(`Secret ${desired.key.name} appeared and vanished while it was written`);
  }
  if (!isOwnedBy(existing, desired.owner)) {
    throw new SecretConflictError(desired.key.name, describeHolder(existing));
  }
  const body = toSecret(desired);
  body.metadata = { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion };
  await kube.core.replaceNamespacedSecret({ ...desired.key, body });
  return 'updated';
}

/** Deletes the Secret only if this resource owns it; true when it did. */
export async function deleteOwnedSecret(
  kube: KubeClients,
  key: ObjectKey,
  owner: Pick<V1OwnerReference, 'kind' | 'name' | 'apiVersion'>,
): Promise<boolean> {
  const existing = await readSecret(kube, key);
  if (!existing || !isOwnedBy(existing, owner)) return false;
  try {
    await kube.core.deleteNamespacedSecret({
      ...key,
      body: { preconditions: { uid: existing.metadata?.uid } },
    });
    return true;
  } catch (error) {
    if (isApiStatus(error, 404)) return false;
    throw error;
  }
}

export function decodeSecretValue(secret: V1Secret, name: string): string | undefined {
  const encoded = secret.data?.[name];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}
