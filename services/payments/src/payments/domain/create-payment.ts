import type { Scope } from '@expe/server-kit';
import { AppError, newId, type Executor } from '@expe/server-kit';
import type { CreatePaymentInput } from '@expe/contracts';
import type { PaymentRow } from '../db/payment-repository.js';
import { insertPaymentWithEvent } from '../db/payment-capture-repository.js';
import type { Clock } from '../../shared/domain/clock.js';
import type { MerchantDirectory } from '../../shared/domain/context.js';
import { paymentEventRow } from './credit-payment.js';
import type { PaymentInstruments } from './payment-instruments.js';

export interface PaymentMerchant {
  id: string;
  name: string;
}

/**
 * The merchant as the payment will show it (UPI link, checkout page). Read before the database
 * transaction opens, so no transaction waits on another service.
 */
export async function getPaymentMerchant(
  merchants: MerchantDirectory,
  merchantId: string,
): Promise<PaymentMerchant> {
  const merchant = await merchants.getMerchant(merchantId);
  if (!merchant) {
    // The gateway vouched for a key of this merchant, so the merchants service should know it.
    throw AppError.of('upstream_unavailable', 'The merchant account could not be read; try again');
  }
  return { id: merchant.id, name: merchant.name };
}

export interface CreatePaymentCommand {
  merchant: PaymentMerchant;
  /** The project and mode the payment belongs to. */
  scope: Scope;
  input: CreatePaymentInput;
  expirySeconds: number;
  clock: Clock;
  /** The customer, saved card, QR code or payment link the payment belongs to. */
  instruments?: PaymentInstruments;
}

/** A new payment waiting for its payer, and its `payment.created` event. */
export async function createPayment(
  tx: Executor,
  command: CreatePaymentCommand,
): Promise<PaymentRow> {
  const { input } = command;
  const now = await command.clock.now(tx, command.scope);
  const { scope } = command;
  const instruments = command.instruments ?? {};
  // Every column, the defaults included: the row is inserted as it is (insertPaymentWithEvent).
  const payment: PaymentRow = {
    id: newId('pay'),
    merchantId: scope.merchantId,
    projectId: scope.projectId,
    mode: scope.mode,
    merchantName: command.merchant.name,
    amount: input.amount,
    amountRefunded: 0,
    amountCapturable: 0,
    amountReceived: 0,
    currency: input.currency,
    status: 'requires_payment_method',
    captureMethod: input.capture_method ?? 'automatic',
    method: null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    customerEmail: input.customer_email ?? null,
    returnUrl: input.return_url ?? null,
    lastPaymentError: null,
    failedAttempts: 0,
    customerId: instruments.customerId ?? null,
    paymentMethodId: instruments.paymentMethodId ?? null,
    setupFutureUsage: instruments.setupFutureUsage ?? null,
    offSession: instruments.offSession ?? false,
    cardDetails: instruments.cardDetails ?? null,
    qrCodeId: instruments.qrCodeId ?? null,
    paymentLinkId: instruments.paymentLinkId ?? null,
    latestChargeId: null,
    payerUserId: null,
    processingDueAt: null,
    expiresAt: new Date(now.getTime() + command.expirySeconds * 1000),
    authorizationExpiresAt: null,
    succeededAt: null,
    canceledAt: null,
    createdAt: now,
    updatedAt: now,
  };
  // The payment and its event in one statement.
  await insertPaymentWithEvent(tx, payment, paymentEventRow('payment.created', payment, now));
  return payment;
}
