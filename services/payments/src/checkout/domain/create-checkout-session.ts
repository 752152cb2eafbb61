import type { Scope } from '@expe/server-kit';
import {
  AppError,
  newId,
  notFound,
  type Executor,
  type Page,
  type PageRequest,
} from '@expe/server-kit';
import type { CreateCheckoutSessionInput, CreatePaymentInput } from '@expe/contracts';
import type { StoredLineItem } from '../../db/checkout-schema.js';
import {
  findCheckoutSession,
  findScopedCheckoutSession,
  insertCheckoutSession,
  type CheckoutSessionRow,
  listCheckoutSessions as listCheckoutSessionRows,
  type CheckoutSessionFilters,
} from '../db/checkout-session-repository.js';
import { findScopedCustomer } from '../../instruments/db/customer-repository.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import type { Clock } from '../../shared/domain/clock.js';
import { createPayment, type PaymentMerchant } from '../../payments/domain/create-payment.js';
import type { PaymentLinks } from '../../payments/domain/resources.js';

/** What Stripe allows: a session lives 30 minutes to 24 hours. */
const minLifetimeSeconds = 30 * 60;
const maxLifetimeSeconds = 24 * 3600;

/** Replaced in success_url by the session's id, as in Stripe. */
const sessionIdTemplate = '{CHECKOUT_SESSION_ID}';

/**
 * A Checkout Session and the payment it opens on the hosted checkout page: the cart's total,
 * the item names as its description, its customer, and the success URL (with the session id
 * filled in) as its return URL. Paying the payment completes the session
 * (checkout-session-lifecycle.ts).
 */
export async function createCheckoutSession(
  tx: Executor,
  command: {
    merchant: PaymentMerchant;
    scope: Scope;
    input: CreateCheckoutSessionInput;
    clock: Clock;
    maxAmount: number;
  },
): Promise<{ session: CheckoutSessionRow; payment: PaymentRow }> {
  const { input, scope, clock } = command;
  const now = await clock.now(tx, scope);
  const lineItems = storedLineItems(input);
  const total = lineItems.reduce((sum, item) => sum + item.amountTotal, 0);
  if (!Number.isSafeInteger(total) || total <= 0 || total > command.maxAmount) {
    throw AppError.of(
      'parameter_invalid',
      `Invalid line_items: the total must be between 1 and ${command.maxAmount} minor units`,
      { param: 'line_items' },
    );
  }
  const expiresAt = expiryOf(input.expires_at, now);
  if (input.customer && !(await findScopedCustomer(tx, scope, input.customer))) {
    throw AppError.of('resource_missing', `No such customer: '${input.customer}'`, {
      param: 'customer',
    });
  }
  const id = newId(`cs_${scope.mode}`);
  const successUrl = input.success_url?.replaceAll(sessionIdTemplate, id) ?? null;
  const currency = lineItems[0]!.currency as CreatePaymentInput['currency'];
  const payment = await createPayment(tx, {
    merchant: command.merchant,
    scope,
    input: {
      amount: total,
      currency,
      description: describe(lineItems),
      ...(input.customer_email ? { customer_email: input.customer_email } : {}),
      ...(successUrl ? { return_url: successUrl } : {}),
    },
    expirySeconds: (expiresAt.getTime() - now.getTime()) / 1000,
    clock,
    instruments: { customerId: input.customer ?? null },
  });
  const session = await insertCheckoutSession(tx, scope, {
    id,
    paymentId: payment.id,
    status: 'open',
    currency,
    amountSubtotal: total,
    amountTotal: total,
    lineItems,
    clientReferenceId: input.client_reference_id ?? null,
    customerId: input.customer ?? null,
    customerEmail: input.customer_email ?? null,
    successUrl,
    cancelUrl: input.cancel_url ?? null,
    metadata: input.metadata ?? {},
    expiresAt,
    createdAt: now,
    updatedAt: now,
  });
  return { session, payment };
}

function storedLineItems(input: CreateCheckoutSessionInput): StoredLineItem[] {
  return input.line_items.map((item) => {
    const amount = item.price_data.unit_amount * item.quantity;
    return {
      id: newId('li'),
      name: item.price_data.product_data.name,
      description: item.price_data.product_data.description ?? null,
      currency: item.price_data.currency,
      unitAmount: item.price_data.unit_amount,
      quantity: item.quantity,
      amountSubtotal: amount,
      amountTotal: amount,
    };
  });
}

/** The payment's description: the items, as the payer's statement would list them. */
function describe(items: StoredLineItem[]): string {
  const names = items.map((item) =>
    item.quantity > 1 ? `${item.name} × ${item.quantity}` : item.name,
  );
  return names.join(', ').slice(0, 500);
}

function expiryOf(expiresAt: number | undefined, now: Date): Date {
  if (expiresAt === undefined) return new Date(now.getTime() + maxLifetimeSeconds * 1000);
  const seconds = expiresAt - Math.floor(now.getTime() / 1000);
  if (seconds < minLifetimeSeconds || seconds > maxLifetimeSeconds) {
    throw AppError.of(
      'parameter_invalid',
      'Invalid expires_at: must be 30 minutes to 24 hours after the session is created',
      { param: 'expires_at' },
    );
  }
  return new Date(expiresAt * 1000);
}

/**
 * The session, as its merchant (a key of its project and mode) or as its hosted checkout page
 * (the client secret of the session's payment); 404 alike for "does not exist", "not yours" and
 * "wrong client secret".
 */
export async function getCheckoutSession(
  db: Executor,
  access: { scope: Scope } | { links: PaymentLinks; clientSecret: string },
  id: string,
): Promise<CheckoutSessionRow> {
  const session =
    'scope' in access
      ? await findScopedCheckoutSession(db, access.scope, id)
      : await findCheckoutSession(db, id);
  if (!session) throw notFound('checkout_session', id);
  if (
    'clientSecret' in access &&
    !access.links.isClientSecretOf(session.paymentId, access.clientSecret)
  ) {
    throw notFound('checkout_session', id);
  }
  return session;
}

/** The project's sessions in its mode, newest first, filtered by payment, customer or status. */
export function listCheckoutSessions(
  db: Executor,
  scope: Scope,
  page: PageRequest,
  filters: CheckoutSessionFilters,
): Promise<Page<CheckoutSessionRow>> {
  return listCheckoutSessionRows(db, scope, page, filters);
}
