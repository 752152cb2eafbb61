import { scopeOf } from '../../shared/domain/scope-of.js';
import { newId, type Executor } from '@expe/server-kit';
import {
  findScopedPaymentMethod,
  insertPaymentMethod,
  lockScopedCustomer,
} from '../../instruments/db/customer-repository.js';
import { lockPaymentLink, updatePaymentLink } from '../../checkout/db/payment-link-repository.js';
import type { PaymentRow } from '../db/payment-repository.js';
import { lockQrCode, updateQrCode } from '../../checkout/db/qr-code-repository.js';
import { completeCheckoutSessionOf } from '../../checkout/domain/checkout-session-lifecycle.js';
import { attachToCustomer } from '../../instruments/domain/attach-payment-method.js';
import { closeLockedQrCode } from '../../checkout/domain/close-qr-code.js';
import { cardFingerprint } from '../../instruments/domain/saved-cards.js';
import { toPaymentMethodResource } from '../../instruments/domain/instrument-resources.js';
import {
  toPaymentLinkResource,
  toQrCodeResource,
} from '../../checkout/domain/checkout-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

/**
 * What a payment's success does to the instruments it names, in the transaction that made it
 * succeed (the caller holds the payment's lock): saves the card on the customer
 * (`setup_future_usage`), credits the QR code it paid, counts the payment link it came from,
 * completes the Checkout Session that opened it.
 * Called once per payment, where its status becomes `succeeded`.
 */
export async function settlePaymentInstruments(
  tx: Executor,
  payment: PaymentRow,
  now: Date,
): Promise<void> {
  if (payment.setupFutureUsage && payment.customerId && !payment.paymentMethodId) {
    await saveCard(tx, payment, payment.customerId, now);
  } else if (payment.setupFutureUsage && payment.customerId && payment.paymentMethodId) {
    await attachUsedPaymentMethod(tx, payment, payment.customerId, payment.paymentMethodId, now);
  }
  if (payment.qrCodeId) await creditQrCode(tx, payment, payment.qrCodeId, now);
  if (payment.paymentLinkId) await countLinkPayment(tx, payment, payment.paymentLinkId, now);
  await completeCheckoutSessionOf(tx, payment, now);
}

async function saveCard(tx: Executor, payment: PaymentRow, customerId: string, now: Date) {
  const card = payment.cardDetails;
  if (payment.method !== 'card' || !card) return;
  // A customer deleted while the payment was open gets no card: it could never be charged.
  const customer = await lockScopedCustomer(tx, payment, customerId);
  if (!customer) return;
  const saved = await insertPaymentMethod(tx, scopeOf(payment), {
    id: newId('pm'),
    customerId,
    type: 'card',
    cardBrand: card.brand,
    cardLast4: card.last4,
    cardExpMonth: card.exp_month,
    cardExpYear: card.exp_year,
    cardToken: card.token,
    cardFingerprint: cardFingerprint(payment.projectId, card),
    createdAt: now,
    updatedAt: now,
  });
  await recordInstrumentEvent(
    tx,
    'payment_method.attached',
    saved,
    toPaymentMethodResource(saved),
    now,
    payment.id,
  );
}

/** A PaymentMethod not attached yet that paid with `setup_future_usage` is attached, once. */
async function attachUsedPaymentMethod(
  tx: Executor,
  payment: PaymentRow,
  customerId: string,
  paymentMethodId: string,
  now: Date,
) {
  const customer = await lockScopedCustomer(tx, payment, customerId);
  const method = await findScopedPaymentMethod(tx, scopeOf(payment), paymentMethodId, {
    lock: true,
  });
  if (!customer || !method || method.customerId !== null || method.detachedAt) return;
  await attachToCustomer(tx, method, customerId, now, payment.id);
}

async function creditQrCode(tx: Executor, payment: PaymentRow, qrCodeId: string, now: Date) {
  const qr = await lockQrCode(tx, qrCodeId);
  if (!qr) return;
  // Money that arrived counts even if the code closed meanwhile (a pending UPI payment).
  const credited = await updateQrCode(tx, qr.id, {
    paymentsCount: qr.paymentsCount + 1,
    paymentsAmountReceived: qr.paymentsAmountReceived + payment.amount,
    updatedAt: now,
  });
  await recordInstrumentEvent(
    tx,
    'qr_code.credited',
    credited,
    { ...toQrCodeResource(credited), payment: payment.id },
    now,
    payment.id,
  );
  if (credited.usage === 'single_use' && credited.status === 'active') {
    await closeLockedQrCode(tx, credited, 'paid', now);
  }
}

async function countLinkPayment(tx: Executor, payment: PaymentRow, linkId: string, now: Date) {
  const link = await lockPaymentLink(tx, linkId);
  if (!link) return;
  // A link for one payment stops accepting once paid, as Stripe's completed-sessions limit.
  const paid = await updatePaymentLink(tx, link.id, {
    paymentsCount: link.paymentsCount + 1,
    active: link.reusable ? link.active : false,
    updatedAt: now,
  });
  await recordInstrumentEvent(
    tx,
    'payment_link.paid',
    paid,
    { ...toPaymentLinkResource(paid), payment: payment.id },
    now,
    payment.id,
  );
}
