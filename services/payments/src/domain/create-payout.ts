import { scopeOf } from './scope-of.js';
import { AppError, newId, type Executor } from '@expe/server-kit';
import type { CreatePayoutInput } from '@expe/contracts';
import { insertBalanceTransaction } from '../db/balance-transaction-repository.js';
import type { Scope } from '@expe/server-kit';
import { insertPayout, type PayoutRow } from '../db/payout-repository.js';
import { sandboxPayoutsAccount } from './balance-accounts.js';
import {
  InsufficientFundsError,
  merchantAccount,
  postLedgerTransaction,
  type LedgerPosting,
} from './ledger.js';
import { recordPayoutEvent } from './money-events.js';

/** The sandbox's bank accounts a payout can go to (docs/sandbox-data.md). */
const payoutOutcomes: Record<string, { failure?: { code: string; message: string } }> = {
  'success@expe': {},
  'failure@expe': {
    failure: {
      code: 'could_not_process',
      message: 'The bank could not process this payout; the money was returned to your balance.',
    },
  },
};

export const sandboxPayoutVpas = Object.keys(payoutOutcomes);

/**
 * Pays out part of the merchant's AVAILABLE balance to a VPA. The sandbox's bank answers at once
 * (no `in_transit` state): `success@expe` → `paid`; `failure@expe` → `failed`, and the money comes
 * back in a second ledger movement in the same transaction. The `payout` movement takes the
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
  const payout = await insertPayout(tx, scope, {
    id: newId('po'),
    amount: input.amount,
    currency: input.currency,
    status: failure ? 'failed' : 'paid',
    destinationVpa: input.destination.vpa,
    failureCode: failure?.code ?? null,
    failureMessage: failure?.message ?? null,
    metadata: input.metadata ?? {},
    arrivalDate: now,
    createdAt: now,
  });
  await recordPayoutEvent(tx, failure ? 'payout.failed' : 'payout.paid', payout, now);
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
    throw new AppError(
      'payout_exceeds_available',
      402,
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

async function postWithBalanceTransaction(
  tx: Executor,
  payout: PayoutRow,
  type: 'payout' | 'payout_failure',
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
