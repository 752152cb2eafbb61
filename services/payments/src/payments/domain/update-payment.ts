import { notFound, type Executor, type Scope } from '@expe/server-kit';
import type { UpdatePaymentInput } from '@expe/contracts';
import { lockPayment, updatePayment, type PaymentRow } from '../db/payment-repository.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';

/** `null` and "" clear a field; an absent field stays as it is. */
const cleared = (value: string | null | undefined) =>
  value === undefined ? undefined : value === '' ? null : value;

/**
 * Changes what a payment carries for the merchant (description, customer_email, metadata), in any
 * status: as with a Stripe PaymentIntent, none of these moves money, so a succeeded payment may
 * still be annotated. No event: Stripe has no `payment_intent.updated`.
 */
export async function updatePaymentDetails(
  tx: Executor,
  scope: Scope,
  paymentId: string,
  input: UpdatePaymentInput,
): Promise<PaymentRow> {
  const payment = await lockPayment(tx, paymentId);
  if (!payment || payment.projectId !== scope.projectId || payment.mode !== scope.mode) {
    throw notFound('payment', paymentId);
  }
  const changes = {
    description: cleared(input.description),
    customerEmail: cleared(input.customer_email),
    metadata: mergeMetadata(payment.metadata, input.metadata),
  };
  const named = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(named).length === 0) return payment;
  return updatePayment(tx, payment.id, named);
}
