import type { KubeClients } from './client.js';
import type { Logger } from '@expe/server-kit';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

/**
 * Records a core/v1 Event on the object (what `kubectl describe` shows). Events are best
 * effort: a failure is logged, never fails the reconcile.
 */
export async function recordEvent(
  kube: KubeClients,
  logger: Logger,
  target: EventTarget,
  event: { type: 'Normal' | 'Warning'; reason: string; message: string },
): Promise<void> {
  const namespace = target.metadata?.namespace ?? 'default';
  const now = new Date();
  try {
    await kube.core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { generateName: `${target.metadata?.name ?? 'object'}.`, namespace },
        involvedObject: {
          apiVersion: target.apiVersion,
          kind: target.kind,
          name: target.metadata?.name,
          namespace,
          uid: target.metadata?.uid,
          resourceVersion: target.metadata?.resourceVersion,
        },
        type: event.type,
        reason: event.reason,
        message: event.message,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        source: { component: 'expe-operator' },
        reportingComponent: 'expe.dev/operator',
        reportingInstance: process.env.POD_NAME ?? 'expe-operator',
      },
    });
  } catch (error) {
    logger.warn({ err: error, reason: event.reason }, 'could not record event');
  }
}
