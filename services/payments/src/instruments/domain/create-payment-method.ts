import { AppError, newId, withTransaction, type Executor, type Scope } from '@expe/server-kit';
import type { BillingDetailsInput, CreatePaymentMethodInput } from '@expe/contracts';
import { insertPaymentMethod, type PaymentMethodRow } from '../db/customer-repository.js';
import { noBillingDetails, type BillingDetails } from '../../db/instrument-schema.js';
import { isCardExpired } from '../../payments/domain/sandbox-outcomes.js';
import { cardFingerprint, describeSandboxCard, describeTestToken } from './saved-cards.js';

/**
 * A PaymentMethod of the project, attached to nobody yet: from a sandbox test token or a sandbox
 * card number, of which only brand, last four, expiry, fingerprint and the sandbox token are
 * kept. Live mode has no card behind it (ADR 0006), so it is refused there.
 */
export async function createPaymentMethod(
  db: Executor,
  scope: Scope,
  input: CreatePaymentMethodInput,
): Promise<PaymentMethodRow> {
  if (scope.mode === 'live') {
    throw AppError.of(
      'parameter_invalid',
      'Invalid card: live mode has no cards to save; the sandbox cards and tokens are test mode’s',
      { param: 'card' },
    );
  }
  const now = new Date();
  const { card: source } = input;
  const card = source.token
    ? describeTestToken(source.token, now)
    : describeSandboxCard({
        number: source.number!,
        exp_month: source.exp_month!,
        exp_year: source.exp_year!,
      });
  if (isCardExpired(card.exp_month, card.exp_year, now)) {
    throw AppError.of('parameter_invalid', 'Invalid card[exp_year]: your card has expired', {
      param: 'card[exp_year]',
    });
  }
  return withTransaction(db, (tx) =>
    insertPaymentMethod(tx, scope, {
      id: newId('pm'),
      customerId: null,
      type: 'card',
      cardBrand: card.brand,
      cardLast4: card.last4,
      cardExpMonth: card.exp_month,
      cardExpYear: card.exp_year,
      cardToken: card.token,
      cardFingerprint: cardFingerprint(scope.projectId, card),
      billingDetails: mergeBillingDetails(noBillingDetails, input.billing_details),
      metadata: input.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    }),
  );
}

/**
 * Billing details as Stripe updates them: the fields named replace the current ones ("" or null
 * clears one), the address field by field; the fields not named stay.
 */
export function mergeBillingDetails(
  current: BillingDetails,
  update: BillingDetailsInput | undefined,
): BillingDetails {
  if (!update) return current;
  const text = (value: string | null | undefined, kept: string | null) =>
    value === undefined ? kept : value === '' ? null : value;
  const address =
    update.address === undefined
      ? current.address
      : update.address === null
        ? null
        : Object.fromEntries(
            (['city', 'country', 'line1', 'line2', 'postal_code', 'state'] as const).map(
              (field) => [field, text(update.address?.[field], current.address?.[field] ?? null)],
            ),
          );
  return {
    address: address as BillingDetails['address'],
    email: text(update.email, current.email),
    name: text(update.name, current.name),
    phone: text(update.phone, current.phone),
  };
}
