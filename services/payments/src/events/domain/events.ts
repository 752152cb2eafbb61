import { context, propagation } from '@opentelemetry/api';
import type { WalletEventType, WebhookEventType } from '@expe/contracts';
import { newId, type Executor } from '@expe/server-kit';
import { insertEvent, type EventRow } from '../db/event-repository.js';

/** Emitted by the webhooks service; they reach the event log on `expe-event-log` (ADR 0009). */
export type WebhookEndpointEventType = `webhook_endpoint.${string}`;
/**
 * Every event payments records about its own objects: the merchant's (the contracts' list, but
 * the webhooks service's own `webhook_endpoint.*`) and the wallet's.
 */
export type EventType = Exclude<WebhookEventType, WebhookEndpointEventType> | WalletEventType;

export interface NewEvent {
  type: EventType | WebhookEndpointEventType;
  mode: 'test' | 'live';
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

type InstrumentEventType = Extract<
  EventType,
  | `customer.${string}`
  | `payment_method.${string}`
  | `qr_code.${string}`
  | `payment_link.${string}`
  | `setup_intent.${string}`
>;

/** Records a merchant event about an instrument, in the transaction of its change. */
export async function recordInstrumentEvent(
  tx: Executor,
  type: InstrumentEventType,
  object: { id: string; merchantId: string; projectId: string; mode: 'test' | 'live' },
  data: object,
  now: Date,
  paymentId: string | null = null,
): Promise<void> {
  await recordEvent(tx, {
    type,
    mode: object.mode,
    merchantId: object.merchantId,
    projectId: object.projectId,
    userIds: [],
    objectId: object.id,
    paymentId,
    data: data as Record<string, unknown>,
    createdAt: now,
  });
}
