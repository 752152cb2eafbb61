import type { Executor } from '@expe/server-kit';
import type { EventRow } from '../../events/db/event-repository.js';
import { recordEvent, type EventType } from '../../events/domain/events.js';
import type { ChargeRow } from '../db/charge-repository.js';
import type { PaymentRow } from '../db/payment-repository.js';
import type { RefundRow } from '../db/refund-repository.js';
import { toChargeResource } from './charge-resources.js';
import { toPaymentEventData, toRefundResource } from './resources.js';

// The events of a payment, its charges and refunds, written into the outbox in the transaction
// of the change (events/domain/events.ts `recordEvent`).

export function recordPaymentEvent(
  tx: Executor,
  type: Extract<EventType, `payment.${string}`>,
  payment: PaymentRow,
  now: Date,
): Promise<EventRow> {
  return recordEvent(tx, {
    type,
    mode: payment.mode,
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
    mode: refund.mode,
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
    mode: charge.mode,
    merchantId: charge.merchantId,
    projectId: charge.projectId,
    userIds: payment.payerUserId ? [payment.payerUserId] : [],
    objectId: charge.id,
    paymentId: charge.paymentId,
    data: toChargeResource(charge),
    createdAt: now,
  });
}
