import type { Logger } from '@expe/server-kit';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';

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
