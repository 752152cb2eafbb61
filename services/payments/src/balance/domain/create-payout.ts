import { scopeOf } from '../../shared/domain/scope-of.js';
import { AppError, newId, type Executor } from '@expe/server-kit';
import type { CreatePayoutInput } from '@expe/contracts';
import { insertBalanceTransaction } from '../db/balance-transaction-repository.js';
import type { Scope } from '@expe/server-kit';
import { insertPayout, type PayoutRow } from '../db/payout-repository.js';
import {
  InsufficientFundsError,
  type LedgerPosting,
  merchantAccount,
  postLedgerTransaction,
  sandboxPayoutsAccount,
} from '../../ledger/index.js';
import { recordPayoutEvent } from './money-events.js';

/** How long a payout to `pending@expe` takes to arrive, by the project's clock. */
export const pendingPayoutArrivalSeconds = 24 * 3600;

interface PayoutOutcome {
  /** Seconds from creation to arrival: 0 settles the payout at once. */
  arrivalSeconds: number;
  failure?: { code: string; message: string };
}

/** The sandbox's bank accounts a payout can go to (docs/sandbox-data.md). */
const payoutOutcomes: Record<string, PayoutOutcome> = {
  'success@expe': { arrivalSeconds: 0 },
  'failure@expe': {
    arrivalSeconds: 0,
    failure: {
      code: 'could_not_process',
      message: 'The bank could not process this payout; the money was returned to your balance.',
    },
  },
  'pending@expe': { arrivalSeconds: pendingPayoutArrivalSeconds },
};

/** When a payout created `now` to a sandbox VPA arrives. */
export function arrivalOf(vpa: string, now: Date): Date {
  const seconds = payoutOutcomes[vpa]?.arrivalSeconds ?? 0;
  return new Date(now.getTime() + seconds * 1000);
}

export const sandboxPayoutVpas = Object.keys(payoutOutcomes);

/**
 * Pays out part of the merchant's AVAILABLE balance to a VPA. The money leaves the balance when
 * the payout is created, as on Stripe. The sandbox's bank decides what follows: `success@expe`
 * arrives at once (`paid`); `failure@expe` fails at once (`failed`), and the money comes back in a
 * second ledger movement in the same transaction; `pending@expe` stays `pending` until its
 * arrival_date a day later by the project's clock, when the due-work sweep marks it `paid`
 * (domain/payout-lifecycle.ts), and may be canceled until then. The `payout` movement takes the
 * merchant's available account lock and the ledger refuses to take it below zero, so payouts
 * racing each other or refunds can never overdraw it; a refused payout leaves nothing behind.
 */
export async function createPayout(
  tx: Executor,
  scope: Scope,
  input: CreatePayoutInput,
  now: Date,
): Promise<PayoutRow> {
  // No bank stands behind Expe (ADR 0006): the sandbox VPAs are test mode's bank, and a live
  // payout to one would move live balance to a bank that is not there. Refused before anything
  // is written, as a live confirm with a sandbox VPA is declined.
  if (scope.mode === 'live') {
    throw AppError.of(
      'parameter_invalid',
      `Invalid destination[vpa]: live mode has no bank to pay out to; the sandbox VPAs (${sandboxPayoutVpas.join(', ')}) work with a test key only`,
      { param: 'destination[vpa]' },
    );
  }
  const outcome = payoutOutcomes[input.destination.vpa];
  if (!outcome) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid destination[vpa]: use a sandbox VPA (${sandboxPayoutVpas.join(', ')})`,
      { param: 'destination[vpa]' },
    );
  }
  const { failure } = outcome;
  const pending = outcome.arrivalSeconds > 0;
  const payout = await insertPayout(tx, scope, {
    id: newId('po'),
    amount: input.amount,
    currency: input.currency,
    status: failure ? 'failed' : pending ? 'pending' : 'paid',
    destinationVpa: input.destination.vpa,
    failureCode: failure?.code ?? null,
    failureMessage: failure?.message ?? null,
    metadata: input.metadata ?? {},
    arrivalDate: arrivalOf(input.destination.vpa, now),
    createdAt: now,
  });
  // As on Stripe, every payout is created pending (payout.created); one the sandbox's bank
  // answers at once then says how it ended in the same transaction.
  await recordPayoutEvent(
    tx,
    'payout.created',
    { ...payout, status: 'pending', failureCode: null, failureMessage: null },
    now,
  );
  if (!pending) await recordPayoutEvent(tx, failure ? 'payout.failed' : 'payout.paid', payout, now);
  const available = merchantAccount(scope.projectId, scope.mode, input.currency);
  const outside = sandboxPayoutsAccount(input.currency);
  try {
    await postWithBalanceTransaction(tx, payout, 'payout', -input.amount, now, {
      kind: 'payout',
      reference: payout.id,
      createdAt: now,
      entries: [
        { account: available, amount: -input.amount },
        { account: outside, amount: input.amount },
      ],
    });
  } catch (error) {
    if (!(error instanceof InsufficientFundsError)) throw error;
    throw AppError.of(
      'payout_exceeds_available',
      `The payout (${input.amount}) is more than your available ${input.currency.toUpperCase()} balance`,
      { param: 'amount', type: 'invalid_request_error' },
    );
  }
  if (failure) {
    await postWithBalanceTransaction(tx, payout, 'payout_failure', input.amount, now, {
      kind: 'payout_failure',
      reference: payout.id,
      createdAt: now,
      entries: [
        { account: outside, amount: -input.amount },
        { account: available, amount: input.amount },
      ],
    });
  }
  return payout;
}

/** One balanced ledger movement of a payout and the balance transaction that shows it. */
export async function postWithBalanceTransaction(
  tx: Executor,
  payout: PayoutRow,
  type: 'payout' | 'payout_failure' | 'payout_cancel',
  amount: number,
  now: Date,
  posting: LedgerPosting,
): Promise<void> {
  const posted = await postLedgerTransaction(tx, posting);
  await insertBalanceTransaction(tx, scopeOf(payout), {
    id: newId('bt'),
    type,
    amount,
    fee: 0,
    net: amount,
    currency: payout.currency,
    source: payout.id,
    paymentId: null,
    ledgerTransactionId: posted.id,
    status: 'available',
    availableOn: now,
    createdAt: now,
  });
}
