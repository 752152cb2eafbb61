import type { Logger } from '@expe/server-kit';
import type { V1OwnerReference } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';
import type { ObjectKey } from './custom-resources.js';
import { deleteOwnedSecret } from './secrets.js';

/**
 * Whether the namespace is being deleted (or is gone). Unknown (no permission, API down) counts
 * as not terminating: the caller then keeps its ordinary behaviour.
 */
export async function isNamespaceTerminating(
  kube: KubeClients,
  logger: Logger,
  name: string,
): Promise<boolean> {
  try {
    const namespace = await kube.core.readNamespace({ name });
    return (
      namespace.metadata?.deletionTimestamp !== undefined ||
      namespace.status?.phase === 'Terminating'
    );
  } catch (error) {
    if (isApiStatus(error, 404)) return true;
    logger.warn({ err: error, namespace: name }, 'could not read the namespace');
    return false;
  }
}

export interface CleanupLimits {
  /** How long deletion retries its cleanup before it gives up. */
  cleanupTimeoutMs: number;
  /**
   * The shorter window in a namespace that is being deleted: everything in it goes (often the
   * Expe services too), so a cleanup that keeps failing there is not worth the whole timeout.
   */
  terminatingNamespaceTimeoutMs: number;
}

/**
 * Why a failed cleanup of this deleted object should stop retrying and let the object go, or
 * undefined to retry with backoff.
 */
export async function reasonToGiveUp(
  kube: KubeClients,
  logger: Logger,
  object: { metadata?: { namespace?: string; deletionTimestamp?: Date | string } },
  limits: CleanupLimits,
  now = Date.now(),
): Promise<string | undefined> {
  const deletedAt = Date.parse(String(object.metadata?.deletionTimestamp ?? ''));
  const elapsed = Number.isNaN(deletedAt) ? 0 : now - deletedAt;
  if (elapsed >= limits.cleanupTimeoutMs) {
    return `Gave up after ${Math.round(limits.cleanupTimeoutMs / 1000)} s`;
  }
  const namespace = object.metadata?.namespace ?? '';
  if (
    elapsed >= limits.terminatingNamespaceTimeoutMs &&
    (await isNamespaceTerminating(kube, logger, namespace))
  ) {
    return `Namespace ${namespace} is being deleted; gave up after ${Math.round(limits.terminatingNamespaceTimeoutMs / 1000)} s`;
  }
  return undefined;
}

/**
 * A cleanup's deletion of a Secret its resource owns. In a namespace that is being deleted a
 * refusal (403) is not a failed cleanup: the operator's right on Secrets there is a Role in that
 * namespace, which the namespace controller may have deleted already (its rights on its own
 * resources are cluster-wide and outlive it, ADR 0015), and the namespace deletes every Secret in
 * it anyway. What matters there, revoking in the Expe services, has been done by then.
 */
export async function deleteOwnedSecretOnCleanup(
  kube: KubeClients,
  logger: Logger,
  key: ObjectKey,
  owner: Pick<V1OwnerReference, 'kind' | 'name' | 'apiVersion'>,
): Promise<boolean> {
  try {
    return await deleteOwnedSecret(kube, key, owner);
  } catch (error) {
    if (isApiStatus(error, 403) && (await isNamespaceTerminating(kube, logger, key.namespace))) {
      logger.info(
        { namespace: key.namespace, secret: key.name },
        'namespace is being deleted and its Secrets with it; left the Secret to it',
      );
      return false;
    }
    throw error;
  }
}
