import { AppError, notFound, withTransaction, type Executor, type Scope } from '@expe/server-kit';
import type { UpdatePaymentMethodInput } from '@expe/contracts';
import { findScopedPaymentMethod, type PaymentMethodRow } from '../db/customer-repository.js';
import { updatePaymentMethodRow } from '../db/payment-card-repository.js';
import { mergeBillingDetails } from './create-payment-method.js';
import { toPaymentMethodResource } from './instrument-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';
import { isCardExpired } from '../../payments/domain/sandbox-outcomes.js';

/**
 * Changes a PaymentMethod's billing details (merged field by field), metadata (Stripe's merge:
 * "" removes a key) or card expiry, under its lock; `payment_method.updated` carries what was
 * there before in `previous_attributes`.
 */
export async function updatePaymentMethod(
  db: Executor,
  scope: Scope,
  id: string,
  input: UpdatePaymentMethodInput,
): Promise<PaymentMethodRow> {
  return withTransaction(db, async (tx) => {
    const current = await findScopedPaymentMethod(tx, scope, id, { lock: true });
    if (!current) throw notFound('payment_method', id);
    const now = new Date();
    const expMonth = input.card?.exp_month ?? current.cardExpMonth;
    const expYear = input.card?.exp_year ?? current.cardExpYear;
    if (input.card && isCardExpired(expMonth, expYear, now)) {
      throw AppError.of('parameter_invalid', 'Invalid card[exp_year]: the card would be expired', {
        param: input.card.exp_year !== undefined ? 'card[exp_year]' : 'card[exp_month]',
      });
    }
    const updated = await updatePaymentMethodRow(tx, current.id, {
      billingDetails: mergeBillingDetails(current.billingDetails, input.billing_details),
      metadata: mergeMetadata(current.metadata, input.metadata) ?? current.metadata,
      cardExpMonth: expMonth,
      cardExpYear: expYear,
      updatedAt: now,
    });
    const before = toPaymentMethodResource(current);
    const after = toPaymentMethodResource(updated);
    const previous = Object.fromEntries(
      (['billing_details', 'card', 'metadata'] as const)
        .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
        .map((field) => [field, before[field]]),
    );
    if (Object.keys(previous).length > 0) {
      await recordInstrumentEvent(
        tx,
        'payment_method.updated',
        updated,
        { ...after, previous_attributes: previous },
        now,
      );
    }
    return updated;
  });
}
