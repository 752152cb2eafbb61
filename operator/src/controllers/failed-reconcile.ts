import type { Logger } from '@expe/server-kit';
import type { KubeClients } from '../kube/client.js';
import { recordEvent, type EventTarget } from '../kube/events.js';
import { reasonToGiveUp, type CleanupLimits } from '../kube/namespaces.js';
import { SecretConflictError } from '../kube/secrets.js';
import type { Outcome } from './conditions.js';
import type { ReconcileResult } from './work-queue.js';

/**
 * Says in the resource's status that a reconcile failed, then throws its error on to the work
 * queue's backoff. A status that cannot be written either is only logged: the reconcile's error
 * is the one that matters.
 */
export async function rethrowWithStatus(
  error: unknown,
  outcome: Outcome,
  writeStatus: (outcome: Outcome) => Promise<unknown>,
  logger: Logger,
): Promise<never> {
  try {
    await writeStatus(outcome);
  } catch (statusError) {
    logger.warn({ err: statusError }, 'could not write the status');
  }
  throw error;
}

/**
 * A Sandbox's or WebhookEndpoint's reconcile that threw: a Secret it would write but does not
 * own is Degraded (SecretConflict, with a Warning event) and retried after `conflictRetryMs`;
 * anything else is Degraded (ReconcileFailed) and thrown again.
 */
export async function settleFailedReconcile(
  error: unknown,
  context: {
    kube: KubeClients;
    logger: Logger;
    resource: EventTarget;
    writeStatus: (outcome: Outcome) => Promise<unknown>;
    conflictRetryMs: number;
  },
): Promise<ReconcileResult> {
  const { kube, logger, resource, writeStatus } = context;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SecretConflictError) {
    await recordEvent(kube, logger, resource, {
      type: 'Warning',
      reason: 'SecretConflict',
      message,
    });
    await writeStatus({ kind: 'degraded', reason: 'SecretConflict', message });
    return { requeueAfterMs: context.conflictRetryMs };
  }
  return rethrowWithStatus(
    error,
    { kind: 'degraded', reason: 'ReconcileFailed', message },
    writeStatus,
    logger,
  );
}

/**
 * A failed cleanup of a deleted resource: thrown again (retried with backoff) until
 * `reasonToGiveUp` says to stop, then let go with a warning log (the record where the Event
 * cannot be written: a terminating namespace) and a CleanupAbandoned Warning event saying what
 * may be left behind.
 */
export async function abandonCleanupOrRethrow(
  error: unknown,
  context: {
    kube: KubeClients;
    logger: Logger;
    resource: EventTarget & { metadata?: { deletionTimestamp?: Date | string } };
    limits: CleanupLimits;
    /** Set when the caller has already decided to let go (one attempt, then the finalizer goes). */
    finalReason: string | undefined;
    /** The resource as the log names it, e.g. `sandbox`, `webhook endpoint`. */
    noun: string;
    /** The log's fields naming the resource and its Expe ids. */
    logFields: Record<string, unknown>;
    /** What may be left behind, for people (the end of the event's message). */
    leftBehind: string;
  },
): Promise<void> {
  const { kube, logger, resource } = context;
  const giveUp =
    context.finalReason ?? (await reasonToGiveUp(kube, logger, resource, context.limits));
  if (!giveUp) throw error;
  const message = `${giveUp}: ${error instanceof Error ? error.message : String(error)}. ${context.leftBehind}`;
  logger.warn(
    { err: error, namespace: resource.metadata?.namespace, ...context.logFields },
    `${context.noun} cleanup abandoned: ${message}`,
  );
  await recordEvent(kube, logger, resource, {
    type: 'Warning',
    reason: 'CleanupAbandoned',
    message,
  });
}
