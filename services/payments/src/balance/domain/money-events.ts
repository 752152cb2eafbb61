import type { Executor } from '@expe/server-kit';
import type { EventRow } from '../../events/db/event-repository.js';
import type { DisputeRow } from '../db/dispute-repository.js';
import type { PayoutRow } from '../db/payout-repository.js';
import { toDisputeResource, toPayoutResource } from './balance-resources.js';
import { recordEvent, type EventType } from '../../events/domain/events.js';

export function recordDisputeEvent(
  tx: Executor,
  type: Extract<EventType, `dispute.${string}`>,
  dispute: DisputeRow,
  now: Date,
): Promise<EventRow> {
  return recordEvent(tx, {
    type,
    mode: dispute.mode,
    merchantId: dispute.merchantId,
    projectId: dispute.projectId,
    userIds: [],
    objectId: dispute.id,
    paymentId: dispute.paymentId,
    data: toDisputeResource(dispute),
    createdAt: now,
  });
}

export function recordPayoutEvent(
  tx: Executor,
  type: Extract<EventType, `payout.${string}`>,
  payout: PayoutRow,
  now: Date,
): Promise<EventRow> {
  return recordEvent(tx, {
    type,
    mode: payout.mode,
    merchantId: payout.merchantId,
    projectId: payout.projectId,
    userIds: [],
    objectId: payout.id,
    paymentId: null,
    data: toPayoutResource(payout),
    createdAt: now,
  });
}
