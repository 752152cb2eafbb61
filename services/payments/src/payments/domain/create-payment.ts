import type { Scope } from '@expe/server-kit';
import { AppError, newId, type Executor } from '@expe/server-kit';
import type { CreatePaymentInput } from '@expe/contracts';
import { insertPayment, type PaymentRow } from '../db/payment-repository.js';
import type { Clock } from '../../shared/domain/clock.js';
import type { MerchantDirectory } from '../../shared/domain/context.js';
import { recordPaymentEvent } from './payment-events.js';
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
  const payment = await insertPayment(tx, command.scope, {
    id: newId('pay'),
    merchantName: command.merchant.name,
    amount: input.amount,
    currency: input.currency,
    status: 'requires_payment_method',
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    customerEmail: input.customer_email ?? null,
    returnUrl: input.return_url ?? null,
    captureMethod: input.capture_method ?? 'automatic',
    expiresAt: new Date(now.getTime() + command.expirySeconds * 1000),
    createdAt: now,
    updatedAt: now,
    ...command.instruments,
  });
  await recordPaymentEvent(tx, 'payment.created', payment, now);
  return payment;
}
