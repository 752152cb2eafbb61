import type { Scope } from '@expe/server-kit';
import { AppError, notFound, type Executor } from '@expe/server-kit';
import type { CreatePaymentInput } from '@expe/contracts';
import {
  findScopedCustomer,
  findScopedPaymentMethod,
  type PaymentMethodRow,
} from '../../instruments/db/customer-repository.js';
import type { CardDetails } from '../../db/instrument-schema.js';
import { lockPayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import type { Clock } from '../../shared/domain/clock.js';
import { confirmPayment, type ConfirmPaymentResult } from './confirm-payment.js';
import type { PaymentLinks } from './resources.js';
import type { AttemptOutcome } from './sandbox-outcomes.js';
import { savedCardOutcome } from '../../instruments/domain/saved-cards.js';

/** The instrument columns a new payment may carry (all absent for a plain payment). */
export interface PaymentInstruments {
  customerId?: string | null;
  paymentMethodId?: string | null;
  setupFutureUsage?: 'on_session' | 'off_session' | null;
  offSession?: boolean;
  cardDetails?: CardDetails | null;
  qrCodeId?: string | null;
  paymentLinkId?: string | null;
}

type InstrumentInput = Pick<
  CreatePaymentInput,
  'customer' | 'payment_method' | 'setup_future_usage' | 'off_session' | 'confirm'
>;

/**
 * Checks the customer and PaymentMethod a new payment names, before anything is written: the
 * customer must be the merchant's (404 otherwise, like any object that is not yours), and a
 * PaymentMethod attached to a customer must be that very customer's
 * (`payment_method_customer_mismatch`); one not attached yet may pay for anyone, a detached one
 * for no one. It is locked so a concurrent detach or attach waits for this payment.
 */
export async function resolvePaymentInstruments(
  tx: Executor,
  scope: Scope,
  input: InstrumentInput,
): Promise<{ instruments: PaymentInstruments; savedCard: PaymentMethodRow | undefined }> {
  if (input.setup_future_usage && !input.customer) {
    throw AppError.of(
      'parameter_missing',
      'Missing customer: setup_future_usage needs the customer the card is saved to',
      { param: 'customer' },
    );
  }
  if (input.payment_method && !input.confirm) {
    throw AppError.of(
      'parameter_missing',
      'Missing confirm: a payment_method is charged at creation, with confirm: true',
      { param: 'confirm' },
    );
  }
  if (input.confirm && !input.payment_method) {
    throw AppError.of(
      'parameter_missing',
      'Missing payment_method: confirm: true charges a saved payment_method at once',
      { param: 'payment_method' },
    );
  }
  if (input.off_session && !input.confirm) {
    throw AppError.of('parameter_invalid', 'Invalid off_session: only with confirm: true', {
      param: 'off_session',
    });
  }
  if (input.customer && !(await findScopedCustomer(tx, scope, input.customer))) {
    throw AppError.of('resource_missing', `No such customer: '${input.customer}'`, {
      param: 'customer',
    });
  }
  let savedCard: PaymentMethodRow | undefined;
  if (input.payment_method) {
    savedCard = await findScopedPaymentMethod(tx, scope, input.payment_method, { lock: true });
    if (!savedCard) {
      throw AppError.of('resource_missing', `No such payment_method: '${input.payment_method}'`, {
        param: 'payment_method',
      });
    }
    // One not attached yet (created, never detached) may pay with or without a customer.
    const isUnattached = savedCard.customerId === null && !savedCard.detachedAt;
    if (savedCard.customerId && !input.customer) {
      throw AppError.of(
        'parameter_missing',
        `Missing customer: the payment_method ${savedCard.id} is attached to a customer; pass that customer`,
        { param: 'customer' },
      );
    }
    if (!isUnattached && savedCard.customerId !== (input.customer ?? null)) {
      throw AppError.of(
        'payment_method_customer_mismatch',
        savedCard.customerId
          ? `The payment_method ${savedCard.id} belongs to another customer`
          : `The payment_method ${savedCard.id} is detached and can no longer be used`,
        { param: 'payment_method' },
      );
    }
  }
  return {
    instruments: {
      customerId: input.customer ?? null,
      paymentMethodId: savedCard?.id ?? null,
      setupFutureUsage: input.setup_future_usage ?? null,
      offSession: input.off_session ?? false,
      cardDetails: savedCard ? savedCardDetails(savedCard) : null,
    },
    savedCard,
  };
}

function savedCardDetails(card: PaymentMethodRow): CardDetails {
  return {
    brand: card.cardBrand,
    last4: card.cardLast4,
    exp_month: card.cardExpMonth,
    exp_year: card.cardExpYear,
    token: card.cardToken,
  };
}

/**
 * `confirm: true` with a saved card: one attempt at once, as the checkout would make it, with
 * the outcome the card's sandbox token gives (card 4000000000000341 is declined).
 */
export function chargeSavedCard(
  tx: Executor,
  links: PaymentLinks,
  command: {
    payment: PaymentRow;
    savedCard: PaymentMethodRow;
    scope: Scope;
    clock: Clock;
    pendingDelayMs: number;
  },
): Promise<ConfirmPaymentResult> {
  const { payment } = command;
  return confirmPayment(tx, links, {
    paymentId: payment.id,
    clientSecret: links.clientSecret(payment.id),
    method: 'card',
    outcome: savedCardOutcome(command.savedCard.cardToken, {
      offSession: payment.offSession,
      isAttached: command.savedCard.customerId !== null,
    }),
    keyScope: command.scope,
    pendingDelayMs: command.pendingDelayMs,
    clock: command.clock,
  });
}

/**
 * A confirm that pays with a PaymentMethod (`payment_method`, with a secret key of the payment's
 * project and mode) instead of a card: the PaymentMethod must be the payment's customer's, or
 * attached to nobody yet (a detached one is refused). The payment records it, its card details
 * and, with `setup_future_usage`, attaches it when it succeeds. Runs before the attempt, in the
 * confirm's transaction, under the payment's lock.
 */
export async function payWithPaymentMethod(
  tx: Executor,
  scope: Scope | undefined,
  paymentId: string,
  paymentMethodId: string,
): Promise<{ outcome: AttemptOutcome; expiry: { month: number; year: number } }> {
  if (!scope) {
    throw AppError.of(
      'secret_key_required',
      "payment_method is confirmed with a secret key of the payment's project",
      { param: 'payment_method' },
    );
  }
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.projectId !== scope.projectId || payment.mode !== scope.mode) {
    throw notFound('payment', paymentId);
  }
  const method = await findScopedPaymentMethod(tx, scope, paymentMethodId, { lock: true });
  if (!method) {
    throw AppError.of('resource_missing', `No such payment_method: '${paymentMethodId}'`, {
      param: 'payment_method',
    });
  }
  if (method.detachedAt || (method.customerId && method.customerId !== payment.customerId)) {
    throw AppError.of(
      'payment_method_customer_mismatch',
      method.detachedAt
        ? `The payment_method ${method.id} is detached and can no longer be used`
        : `The payment_method ${method.id} belongs to another customer`,
      { param: 'payment_method' },
    );
  }
  await updatePayment(tx, payment.id, {
    paymentMethodId: method.id,
    cardDetails: savedCardDetails(method),
  });
  return {
    outcome: savedCardOutcome(method.cardToken, {
      offSession: payment.offSession,
      isAttached: method.customerId !== null,
    }),
    expiry: { month: method.cardExpMonth, year: method.cardExpYear },
  };
}
