import { setTimeout as sleep } from 'node:timers/promises';
import { newId, unixSeconds, withTransaction } from '@expe/server-kit';
import {
  cancelPendingDeliveriesOfEndpoint,
  findDelivery,
  insertDeliveryAttempt,
  updateDelivery,
  type DeliveryAttemptRow,
} from '../db/delivery-repository.js';
import {
  disableFailingEndpoint,
  findEndpointById,
  listSigningSecrets,
  markEndpointFailing,
  markEndpointHealthy,
  type EndpointRow,
} from '../db/endpoint-repository.js';
import { findEventById } from '../db/event-repository.js';
import type { WebhooksContext } from './context.js';
import { disabledEventType, recordEndpointEvent } from './endpoint-events.js';
import type { WebhookSender } from './send-webhook.js';
import { deliveryPayload } from './delivery-payload.js';
import { urlPolicyFor } from './url-guard.js';
import { planAttempt, simulatedFailure } from './webhook-chaos.js';

export const userAgent = 'Expe-Webhooks/1.0';

export type AttemptOutcome =
  /** Nothing to do: the delivery already succeeded, failed or was canceled. */
  | { kind: 'skipped' }
  /** The endpoint was deleted or disabled since the delivery was queued. */
  | { kind: 'canceled' }
  | { kind: 'attempted'; attempt: DeliveryAttemptRow; retryAt: Date | null };

export interface AttemptDeps extends WebhooksContext {
  sender: WebhookSender;
  /** Delays before each retry, in milliseconds (RETRY_SCHEDULE). */
  retrySchedule: readonly number[];
  random?: () => number;
}

/** The scheduled delay with ±10% jitter, so endpoints that failed together do not retry together. */
export function retryDelay(schedule: readonly number[], retry: number, random = Math.random) {
  const base = schedule[retry - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (0.9 + 0.2 * random()));
}

/**
 * One delivery attempt: signs the stored event bytes with every secret that still signs,
 * POSTs them, and records the attempt. A failure schedules the next retry or, after the last
 * one, fails the delivery; an endpoint failing for DISABLE_AFTER_FAILING_FOR is disabled.
 * No transaction is open while the request is in flight.
 */
export async function attemptDelivery(
  deps: AttemptDeps,
  deliveryId: string,
  context: { traceId?: string | undefined } = {},
): Promise<AttemptOutcome> {
  const { db } = deps;
  const delivery = await findDelivery(db, deliveryId);
  if (!delivery || delivery.status !== 'pending') return { kind: 'skipped' };
  const endpoint = await findEndpointById(db, delivery.endpointId);
  const event = await findEventById(db, delivery.eventId);
  if (!endpoint || !event) throw new Error(`delivery ${deliveryId} lost its endpoint or event`);
  if (endpoint.deletedAt || endpoint.status !== 'enabled') {
    await cancelPendingDeliveriesOfEndpoint(db, endpoint.id, new Date());
    return { kind: 'canceled' };
  }

  const secrets = (await listSigningSecrets(db, endpoint.id, new Date())).map((row) =>
    deps.secretBox.open(endpoint.id, row.ciphertext),
  );
  const chaos = planAttempt(endpoint.simulate, deps.config.WEBHOOK_CHAOS_SEED, {
    eventId: event.id,
    endpointId: endpoint.id,
    attempt: delivery.attempts + 1,
  });
  if (chaos.delayMs > 0) await sleep(chaos.delayMs);
  const sentAt = new Date();
  const outgoing = deliveryPayload(endpoint, event.payload, secrets, unixSeconds(sentAt));
  const request = {
    url: endpoint.url,
    body: outgoing.body,
    headers: {
      'content-type': 'application/json',
      'user-agent': userAgent,
      'expe-event-id': event.id,
      'expe-delivery-id': delivery.id,
      ...outgoing.signatureHeaders,
    },
    policy: urlPolicyFor(
      endpoint.mode,
      deps.config.WEBHOOK_ALLOW_LOOPBACK_IN_TEST,
      deps.config.WEBHOOK_ALLOWED_PRIVATE_HOSTS,
      deps.config.WEBHOOK_PLATFORM_PORTS,
    ),
  };
  const result = chaos.isSimulatedFailure ? simulatedFailure : await deps.sender.send(request);
  if (result.isSuccess && chaos.isDuplicated) {
    // The same event again, as an at-least-once network would: receivers dedupe on its id.
    await deps.sender.send(request);
  }

  const now = new Date();
  const { attempt, retryAt, disabled } = await withTransaction(db, async (tx) => {
    // Endpoint first, then delivery: the order every writer of both takes, so no deadlock.
    // The delivery lock keeps a duplicate job (after a stall) from reusing a number. A success
    // to an endpoint that was not failing changes nothing on the endpoint, so it skips the
    // endpoint's lock: deliveries to one endpoint do not queue on its row (issue 9).
    if (!result.isSuccess || endpoint.failingSince !== null) {
      await findEndpointById(tx, endpoint.id, { forUpdate: true });
    }
    const current = await findDelivery(tx, deliveryId, { forUpdate: true });
    const number = (current?.attempts ?? delivery.attempts) + 1;
    const isStillPending = current?.status === 'pending';
    let disabled: EndpointRow | undefined;
    if (result.isSuccess) {
      if (endpoint.failingSince !== null) await markEndpointHealthy(tx, endpoint.id);
    } else {
      await markEndpointFailing(tx, endpoint.id, sentAt);
      const failingSinceAtMost = new Date(now.getTime() - deps.config.DISABLE_AFTER_FAILING_FOR);
      disabled = await disableFailingEndpoint(tx, endpoint.id, failingSinceAtMost, now);
    }
    const delay =
      result.isSuccess || disabled
        ? undefined
        : retryDelay(deps.retrySchedule, number, deps.random);
    const retryAt = isStillPending && delay !== undefined ? new Date(now.getTime() + delay) : null;
    const outcome = result.isSuccess ? 'succeeded' : retryAt ? 'failed_attempt' : 'failed';
    const attempt = await insertDeliveryAttempt(tx, {
      id: newId('wha'),
      deliveryId,
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      mode: endpoint.mode,
      attempt: number,
      url: endpoint.url,
      outcome,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      responseExcerpt: result.responseExcerpt,
      error: result.error,
      nextRetryAt: retryAt,
      traceId: context.traceId ?? null,
      createdAt: sentAt,
    });
    if (isStillPending) {
      await updateDelivery(tx, deliveryId, {
        attempts: number,
        status: retryAt ? 'pending' : result.isSuccess ? 'succeeded' : 'failed',
        nextAttemptAt: retryAt,
        completedAt: retryAt ? null : now,
      });
    }
    // The endpoint's other deliveries stop with it; this one is already failed above.
    if (disabled) {
      await cancelPendingDeliveriesOfEndpoint(tx, endpoint.id, now);
      await recordEndpointEvent(tx, disabledEventType, disabled, now);
    }
    return { attempt, retryAt, disabled };
  });

  if (disabled) {
    deps.logger.warn(
      { endpointId: disabled.id, failingSince: disabled.failingSince },
      'webhook endpoint disabled after failing persistently',
    );
  }
  return { kind: 'attempted', attempt, retryAt };
}
