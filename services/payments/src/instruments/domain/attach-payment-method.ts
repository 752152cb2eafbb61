import { AppError, notFound, withTransaction, type Executor, type Scope } from '@expe/server-kit';
import {
  findScopedPaymentMethod,
  lockScopedCustomer,
  type PaymentMethodRow,
} from '../db/customer-repository.js';
import { attachPaymentMethodRow } from '../db/payment-card-repository.js';
import { toPaymentMethodResource } from './instrument-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';
import { liveModeOutcome } from '../../payments/domain/sandbox-outcomes.js';
import { attemptDeclined } from '../../payments/domain/payment-errors.js';
import { setupOutcome } from './saved-cards.js';

/**
 * Attaches a PaymentMethod to a customer of the project, so it can be charged later (also
 * off-session). The sandbox checks the card first: a declining card is not attached (402). As in
 * Stripe, one attached to another customer or detached once cannot be attached (409).
 */
export async function attachPaymentMethod(
  db: Executor,
  scope: Scope,
  id: string,
  customerId: string,
): Promise<PaymentMethodRow> {
  return withTransaction(db, async (tx) => {
    const method = await findScopedPaymentMethod(tx, scope, id, { lock: true });
    if (!method) throw notFound('payment_method', id);
    const customer = await lockScopedCustomer(tx, scope, customerId);
    if (!customer) {
      throw AppError.of('resource_missing', `No such customer: '${customerId}'`, {
        param: 'customer',
      });
    }
    if (method.customerId === customerId) return method;
    const outcome =
      scope.mode === 'live' ? liveModeOutcome('card') : setupOutcome(method.cardToken);
    if (outcome.kind === 'fails') {
      throw attemptDeclined(outcome.error, { param: 'payment_method' });
    }
    return attachToCustomer(tx, method, customerId, new Date());
  });
}

/**
 * Attaches a PaymentMethod already read (and locked) in its scope to a customer locked in the
 * same scope, and records `payment_method.attached`; refuses one that is attached elsewhere or
 * was detached. SetupIntents and payments with `setup_future_usage` attach through here too.
 */
export async function attachToCustomer(
  tx: Executor,
  method: PaymentMethodRow,
  customerId: string,
  now: Date,
  paymentId: string | null = null,
): Promise<PaymentMethodRow> {
  if (method.customerId === customerId) return method;
  const attached = await attachPaymentMethodRow(tx, method.id, customerId, now);
  if (!attached) {
    throw AppError.of(
      'resource_conflict',
      method.detachedAt
        ? `The payment_method ${method.id} was detached from a customer and may not be used again`
        : `The payment_method ${method.id} is already attached to another customer: detach it first`,
      { param: 'payment_method' },
    );
  }
  await recordInstrumentEvent(
    tx,
    'payment_method.attached',
    attached,
    toPaymentMethodResource(attached),
    now,
    paymentId,
  );
  return attached;
}
