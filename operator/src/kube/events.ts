import { createHash } from 'node:crypto';
import { V1MicroTime, type CoreV1Event } from '@kubernetes/client-node';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';
import type { Logger } from '@expe/server-kit';

export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export interface EventInput {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/**
 * The Event's name: one per object (by UID) and type+reason, as client-go's correlator
 * aggregates, so a condition that repeats (a Secret conflict seen on every resync) is one Event
 * whose count rises instead of a new object every pass. The message is not part of it: the
 * latest message replaces the previous one.
 */
export function eventNameFor(target: EventTarget, event: Pick<EventInput, 'type' | 'reason'>) {
  const digest = createHash('sha256')
    .update(`${target.metadata?.uid ?? ''}\0${event.type}\0${event.reason}`)
    .digest('hex')
    .slice(0, 16);
  // An object name is at most 253 characters; the suffix keeps the name unique.
  return `${(target.metadata?.name ?? 'object').slice(0, 200)}.${digest}`;
}

/**
 * Records a core/v1 Event on the object (what `kubectl describe` shows), aggregated: the first
 * occurrence creates the Event, a repeat raises its `count` and `series.count` and moves
 * `lastTimestamp` (`kubectl describe` shows "x5 over 2m"). Events are best effort: a failure is
 * logged, never fails the reconcile.
 */
export async function recordEvent(
  kube: KubeClients,
  logger: Logger,
  target: EventTarget,
  event: EventInput,
): Promise<void> {
  const namespace = target.metadata?.namespace ?? 'default';
  const name = eventNameFor(target, event);
  const now = new Date();
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await readEvent(kube, namespace, name);
      if (!existing) {
        try {
          await kube.core.createNamespacedEvent({
            namespace,
            body: {
              metadata: { name, namespace },
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
          return;
        } catch (error) {
          // Another replica (or a pass in flight) created it first: count this one on it.
          if (isApiStatus(error, 409)) continue;
          throw error;
        }
      }
      const count = (existing.count ?? 1) + 1;
      const body: CoreV1Event = {
        ...existing,
        message: event.message,
        count,
        lastTimestamp: now,
        series: { count, lastObservedTime: new V1MicroTime(now.getTime()) },
        involvedObject: {
          ...existing.involvedObject,
          resourceVersion: target.metadata?.resourceVersion,
        },
      };
      try {
        // The resourceVersion read above: two writers never both count from the same value.
        await kube.core.replaceNamespacedEvent({ namespace, name, body });
        return;
      } catch (error) {
        if (isApiStatus(error, 409) || isApiStatus(error, 404)) continue;
        throw error;
      }
    }
    logger.warn({ reason: event.reason, event: name }, 'event kept changing; not counted');
  } catch (error) {
    logger.warn({ err: error, reason: event.reason }, 'could not record event');
  }
}

async function readEvent(
  kube: KubeClients,
  namespace: string,
  name: string,
): Promise<CoreV1Event | undefined> {
  try {
    return await kube.core.readNamespacedEvent({ namespace, name });
  } catch (error) {
    if (isApiStatus(error, 404)) return undefined;
    throw error;
  }
}
