import { unixSeconds } from '@expe/server-kit';
import {
  disputeEvidenceTextFieldNames,
  type BalanceTransactionResource,
  type DisputeResource,
  type PayoutResource,
} from '@expe/contracts';
import type { BalanceTransactionRow } from '../db/balance-transaction-repository.js';
import type { DisputeRow } from '../db/dispute-repository.js';
import type { PayoutRow } from '../db/payout-repository.js';

export function toBalanceTransactionResource(
  row: BalanceTransactionRow,
): BalanceTransactionResource {
  return {
    id: row.id,
    object: 'balance_transaction',
    amount: row.amount,
    fee: row.fee,
    net: row.net,
    currency: row.currency,
    type: row.type,
    source: row.source,
    charge: row.chargeId,
    status: row.status,
    available_on: unixSeconds(row.availableOn),
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}

export function toPayoutResource(row: PayoutRow): PayoutResource {
  return {
    id: row.id,
    object: 'payout',
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    destination: { type: 'vpa', vpa: row.destinationVpa },
    failure_code: row.failureCode,
    failure_message: row.failureMessage,
    metadata: row.metadata,
    arrival_date: unixSeconds(row.arrivalDate),
    original_payout: row.originalPayoutId,
    reversed_by: row.reversedById,
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}

export function toDisputeResource(row: DisputeRow): DisputeResource {
  return {
    id: row.id,
    object: 'dispute',
    payment: row.paymentId,
    charge: row.chargeId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    evidence: Object.fromEntries(
      disputeEvidenceTextFieldNames.map((field) => [field, row.evidence[field] ?? null]),
    ) as DisputeResource['evidence'],
    evidence_due_by: unixSeconds(row.evidenceDueBy),
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}
