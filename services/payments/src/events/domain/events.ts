import { context, propagation } from '@opentelemetry/api';
import type { WalletEventType, WebhookEventType } from '@expe/contracts';
import { newId, type Executor } from '@expe/server-kit';
import { insertEvent, type EventRow } from '../db/event-repository.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import type { RefundRow } from '../../payments/db/refund-repository.js';
import type { ChargeRow } from '../../payments/db/charge-repository.js';
import { toChargeResource } from '../../payments/domain/charge-resources.js';
import { toPaymentEventData, toRefundResource } from '../../payments/domain/resources.js';

/** Emitted by the webhooks service; they reach the event log on `expe-event-log` (ADR 0009). */
export type WebhookEndpointEventType = `webhook_endpoint.${string}`;
/**
 * Every event payments records about its own objects: the merchant's (the contracts' list, but
 * the webhooks service's own `webhook_endpoint.*`) and the wallet's.
 */
export type EventType = Exclude<WebhookEventType, WebhookEndpointEventType> | WalletEventType;

export interface NewEvent {
  type: EventType | WebhookEndpointEventType;
  livemode: boolean;
  merchantId: string | null;
  /** The project of a merchant event; NULL exactly when merchantId is (wallet-only events). */
  projectId: string | null;
  userIds: string[];
  objectId: string;
  paymentId: string | null;
  /** The API object as it is after the change. */
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Writes an event into the outbox. Always called inside the transaction of the change it
 * describes, so an event exists exactly when its change was committed.
 */
export function recordEvent(tx: Executor, event: NewEvent): Promise<EventRow> {
  return insertEvent(tx, { id: newId('evt'), ...event, traceparent: currentTraceparent() });
}

function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

export function recordPaymentEvent(
  tx: Executor,
  type: Extract<EventType, `payment.${string}`>,
  payment: PaymentRow,
  now: Date,
): Promise<EventRow> {
  return recordEvent(tx, {
    type,
    livemode: payment.mode === 'live',
    merchantId: payment.merchantId,
    projectId: payment.projectId,
    userIds: payment.payerUserId ? [payment.payerUserId] : [],
    objectId: payment.id,
    paymentId: payment.id,
    data: toPaymentEventData(payment),
    createdAt: now,
  });
}

export function recordRefundEvent(
  tx: Executor,
  refund: RefundRow,
  payment: PaymentRow,
  now: Date,
): Promise<EventRow> {
  return recordEvent(tx, {
    type: 'refund.succeeded',
    livemode: refund.mode === 'live',
    merchantId: refund.merchantId,
    projectId: refund.projectId,
    userIds: payment.payerUserId ? [payment.payerUserId] : [],
    objectId: refund.id,
    paymentId: refund.paymentId,
    data: toRefundResource(refund),
    createdAt: now,
  });
}

export function recordChargeEvent(
  tx: Executor,
  type: Extract<EventType, `charge.${string}`>,
  charge: ChargeRow,
  payment: PaymentRow,
  now: Date,
): Promise<EventRow> {
  return recordEvent(tx, {
    type,
    livemode: charge.mode === 'live',
    merchantId: charge.merchantId,
    projectId: charge.projectId,
    userIds: payment.payerUserId ? [payment.payerUserId] : [],
    objectId: charge.id,
    paymentId: charge.paymentId,
    data: toChargeResource(charge),
    createdAt: now,
  });
}
