import { scopeOf } from '../../shared/domain/scope-of.js';
import type { Scope } from '@expe/server-kit';
import {
  AppError,
  notFound,
  withTransaction,
  type Database,
  type Executor,
} from '@expe/server-kit';
import type { UpdateDisputeInput } from '@expe/contracts';
import type { DisputeEvidence } from '../../db/balance-schema.js';
import { listBalanceTransactionsOfSource } from '../db/balance-transaction-repository.js';
import {
  findDueDispute,
  findScopedDispute,
  updateDispute,
  type DisputeRow,
} from '../db/dispute-repository.js';
import { lockPayment, type PaymentRow } from '../../payments/db/payment-repository.js';
import { type Clock } from '../../shared/domain/clock.js';
import { dueSql, type DueAt } from '../../shared/db/test-clock-repository.js';
import { recordDisputeEvent } from './money-events.js';
import { movePaymentMoney, payerOf } from './payment-money.js';

/** The sandbox's evidence texts that decide a dispute. */
export const winningEvidence = 'winning_evidence';
export const losingEvidence = 'losing_evidence';

/** Locks the dispute's payment (every change to its money takes that lock), then reads it. */
async function lockDispute(
  tx: Executor,
  scope: Scope,
  id: string,
): Promise<{ dispute: DisputeRow; payment: PaymentRow }> {
  const unlocked = await findScopedDispute(tx, scope, id);
  if (!unlocked) throw notFound('dispute', id);
  const payment = await lockPayment(tx, unlocked.paymentId);
  const dispute = await findScopedDispute(tx, scope, id);
  if (!payment || !dispute) throw notFound('dispute', id);
  return { dispute, payment };
}

function assertOpen(dispute: DisputeRow): void {
  if (dispute.status !== 'needs_response') {
    throw AppError.of('dispute_closed', `Dispute ${dispute.id} is already ${dispute.status}`, {
      param: 'dispute',
    });
  }
}

/**
 * The merchant answers a dispute. In the sandbox the text decides: `winning_evidence` wins it
 * (the disputed money comes back), `losing_evidence` loses it; any other text is kept and the
 * dispute stays open until its deadline.
 */
export async function submitDisputeEvidence(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdateDisputeInput,
  now: Date,
): Promise<DisputeRow> {
  const { dispute, payment } = await lockDispute(tx, scope, id);
  assertOpen(dispute);
  const evidence: DisputeEvidence = { ...dispute.evidence, ...input.evidence };
  const text = evidence.uncategorized_text?.trim();
  if (text === winningEvidence) return closeDispute(tx, dispute, payment, 'won', evidence, now);
  if (text === losingEvidence) return closeDispute(tx, dispute, payment, 'lost', evidence, now);
  const updated = await updateDispute(tx, dispute.id, { evidence });
  await recordDisputeEvent(tx, 'dispute.updated', updated, now);
  return updated;
}

/** The merchant accepts the loss: the dispute is lost, the money stays with the cardholder. */
export async function acceptDispute(
  tx: Executor,
  scope: Scope,
  id: string,
  now: Date,
): Promise<DisputeRow> {
  const { dispute, payment } = await lockDispute(tx, scope, id);
  assertOpen(dispute);
  return closeDispute(tx, dispute, payment, 'lost', dispute.evidence, now);
}

async function closeDispute(
  tx: Executor,
  dispute: DisputeRow,
  payment: PaymentRow,
  status: 'won' | 'lost',
  evidence: DisputeEvidence,
  now: Date,
): Promise<DisputeRow> {
  const closed = await updateDispute(tx, dispute.id, { status, evidence, closedAt: now });
  await recordDisputeEvent(tx, 'dispute.closed', closed, now);
  if (status === 'won') {
    // The exact opposite of the debit: the amount comes back and the returned fee is charged again.
    const [debit] = await listBalanceTransactionsOfSource(tx, dispute.id);
    if (!debit) throw new Error(`dispute ${dispute.id} has no debit`);
    await movePaymentMoney(tx, {
      payment,
      kind: 'dispute_reversal',
      source: dispute.id,
      type: 'dispute',
      amount: -debit.amount,
      fee: -debit.fee,
      counterparty: payerOf(payment),
      now,
    });
  }
  return closed;
}

/**
 * Due work (domain/due-work.ts): open disputes whose `evidence_due_by` passed by their merchant's
 * clock are lost. Returns how many it closed.
 */
export async function loseOverdueDisputes(
  db: Database,
  clock: Clock,
  at: DueAt,
  limit: number,
): Promise<number> {
  let handled = 0;
  while (handled < limit) {
    const due = await findDueDispute(db, (column, projectId, mode) =>
      dueSql(column, projectId, mode, at),
    );
    if (!due) break;
    const scope = scopeOf(due);
    const closed = await withTransaction(db, async (tx) => {
      const { dispute, payment } = await lockDispute(tx, scope, due.id);
      const now = await clock.now(tx, scope);
      if (dispute.status !== 'needs_response' || dispute.evidenceDueBy > now) return false;
      await closeDispute(tx, dispute, payment, 'lost', dispute.evidence, now);
      return true;
    });
    if (!closed) break;
    handled++;
  }
  return handled;
}
