import type { Scope } from '@expe/server-kit';
import {
  AppError,
  keyScope,
  notFound,
  withTransaction,
  type Executor,
  type Principal,
} from '@expe/server-kit';
import {
  lockPayment,
  lockPaymentKeepingCard,
  updatePayment,
  type PaymentRow,
} from '../db/payment-repository.js';
import type { CardDetails } from '../../db/instrument-schema.js';
import type { PaymentMethodValue, StoredPaymentError } from '../../db/schema.js';
import { settleSuccessfulAttempt } from './capture-payment.js';
import { captureAttemptInOneStatement } from './credit-payment.js';
import { recordFailedCharge, recordPendingCharge } from './charges.js';
import type { Clock } from '../../shared/domain/clock.js';
import { recordPaymentEvent } from './payment-events.js';
import { InsufficientFundsError } from '../../ledger/index.js';
import { paymentUnexpectedState } from './payment-errors.js';
import type { PaymentLinks } from './resources.js';
import {
  type AttemptOutcome,
  isCardExpired,
  liveModeOutcome,
  walletInsufficientFunds,
} from './sandbox-outcomes.js';

/**
 * Who may confirm how: off_session only with a secret key of the payment's project (only the
 * merchant charges a customer who is away), a wallet only with the payer's access token. Checked
 * before the request's Idempotency-Key is claimed, like the body: a caller refused here leaves
 * no trace.
 */
export function assertConfirmCaller(
  input: { off_session?: boolean | undefined; method?: string | undefined },
  principal: Principal,
): void {
  if (input.off_session && !secretKeyScopeOf(principal)) {
    throw AppError.of(
      'secret_key_required',
      "off_session is confirmed with a secret key of the payment's project: only the merchant charges a customer who is away",
      { param: 'off_session' },
    );
  }
  if (input.method === 'wallet' && principal.kind !== 'user') {
    throw AppError.of(
      'authentication_required',
      "Paying from a wallet needs the payer's access token in the Authorization header",
    );
  }
}

/** A secret key's scope: only it may pay with a stored PaymentMethod. */
export function secretKeyScopeOf(principal: Principal) {
  return principal.kind === 'api_key' && principal.keyType === 'secret'
    ? keyScope(principal)
    : undefined;
}

export interface ConfirmPaymentCommand {
  paymentId: string;
  clientSecret: string;
  method: PaymentMethodValue;
  /** What the sandbox network says about the card or VPA; wallets always try to pay. */
  outcome: AttemptOutcome;
  /** The signed-in payer whose wallet pays (method wallet only). */
  walletOwnerId?: string | undefined;
  /** Set when an API key calls: it must belong to the payment's merchant and mode. */
  keyScope?: Scope | undefined;
  pendingDelayMs: number;
  clock: Clock;
  /** The card's expiry (method card), checked against the merchant's clock. */
  cardExpiry?: { month: number; year: number } | undefined;
  /**
   * The card typed in (`card[…]`): kept on the payment as the attempt locks it, so a successful
   * payment with `setup_future_usage` can save it; a refused confirm rolls it back.
   */
  card?: CardDetails | undefined;
}

export type ConfirmPaymentResult =
  | { kind: 'confirmed'; payment: PaymentRow }
  /** The attempt failed; the failure is committed and the payment can be confirmed again. */
  | { kind: 'failed'; payment: PaymentRow; error: StoredPaymentError };

/**
 * One payment attempt, under the payment's row lock: however many confirms race, one finds the
 * payment open and the others find it succeeded (409). Success moves the money in the same
 * transaction; a failure records `last_payment_error` and `payment.failed`.
 */
export async function confirmPayment(
  tx: Executor,
  links: PaymentLinks,
  command: ConfirmPaymentCommand,
): Promise<ConfirmPaymentResult> {
  const { paymentId, method } = command;
  const payment = command.card
    ? await lockPaymentKeepingCard(tx, paymentId, command.card)
    : await lockPayment(tx, paymentId);
  const isOwnKey =
    !command.keyScope ||
    (payment?.projectId === command.keyScope.projectId && payment.mode === command.keyScope.mode);
  if (!payment || !isOwnKey || !links.isClientSecretOf(paymentId, command.clientSecret)) {
    throw notFound('payment', paymentId);
  }
  if (payment.status !== 'requires_payment_method')
    throw paymentUnexpectedState(payment, 'confirm');
  const now = await command.clock.now(tx, { projectId: payment.projectId, mode: payment.mode });
  if (payment.expiresAt <= now) {
    throw AppError.of(
      'payment_unexpected_state',
      'You cannot confirm this payment because it has expired',
    );
  }
  if (command.cardExpiry && isCardExpired(command.cardExpiry.month, command.cardExpiry.year, now)) {
    throw AppError.of('parameter_invalid', 'Invalid card[exp_year]: your card has expired', {
      param: 'card[exp_year]',
    });
  }
  if ((method === 'wallet' || method === 'upi') && payment.currency !== 'inr') {
    throw AppError.of('parameter_invalid', `Method ${method} can only pay INR payments`, {
      param: 'method',
    });
  }

  // Every card and VPA the sandbox knows is a test one: live mode declines them (ADR 0006).
  const outcome =
    payment.mode === 'live' && method !== 'wallet' ? liveModeOutcome(method) : command.outcome;
  switch (outcome.kind) {
    case 'fails':
      return recordFailure(tx, payment, method, outcome.error, now);
    case 'pending': {
      const processing = await updatePayment(tx, payment.id, {
        status: 'processing',
        method,
        lastPaymentError: null,
        processingDueAt: new Date(now.getTime() + command.pendingDelayMs),
        updatedAt: now,
      });
      await recordPaymentEvent(tx, 'payment.processing', processing, now);
      return { kind: 'confirmed', payment: await recordPendingCharge(tx, processing, method, now) };
    }
    case 'requires_action': {
      const challenged = await updatePayment(tx, payment.id, {
        status: 'requires_action',
        method,
        lastPaymentError: null,
        updatedAt: now,
      });
      await recordPaymentEvent(tx, 'payment.requires_action', challenged, now);
      return { kind: 'confirmed', payment: challenged };
    }
    case 'succeeds':
      break;
  }

  const payerUserId = method === 'wallet' ? (command.walletOwnerId ?? null) : null;
  if (method === 'wallet' && !payerUserId) {
    throw AppError.of('authentication_required', 'Sign in to pay from your Expe wallet');
  }
  const source = { method, payerUserId, isDisputed: outcome.isDisputed };
  // Only a wallet can be short (the card network and UPI bank are system accounts): anything
  // else that fails the capture fails the whole request, so it needs no savepoint and its two
  // round trips, which the merchant's balance lock would wait for.
  if (method !== 'wallet') {
    // Most attempts (a card or VPA, automatic capture, nothing to save) in one statement.
    const captured = await captureAttemptInOneStatement(tx, payment, source, now);
    return {
      kind: 'confirmed',
      payment: captured ?? (await settleSuccessfulAttempt(tx, payment, source, now)),
    };
  }
  try {
    // A savepoint, so a wallet that is short rolls back the capture but keeps the payment lock.
    const succeeded = await withTransaction(tx, (savepoint) =>
      settleSuccessfulAttempt(savepoint, payment, source, now),
    );
    return { kind: 'confirmed', payment: succeeded };
  } catch (error) {
    if (!(error instanceof InsufficientFundsError) || error.account.type !== 'wallet') throw error;
    return recordFailure(tx, payment, method, walletInsufficientFunds, now);
  }
}

export async function recordFailure(
  tx: Executor,
  payment: PaymentRow,
  method: PaymentMethodValue,
  error: StoredPaymentError,
  now: Date,
): Promise<ConfirmPaymentResult> {
  const failed = await updatePayment(tx, payment.id, {
    method,
    lastPaymentError: error,
    failedAttempts: payment.failedAttempts + 1,
    updatedAt: now,
  });
  await recordPaymentEvent(tx, 'payment.failed', failed, now);
  return {
    kind: 'failed',
    payment: await recordFailedCharge(tx, failed, method, error, now),
    error,
  };
}
