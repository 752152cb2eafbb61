import { scopeOf } from '../../shared/domain/scope-of.js';
import type { Scope } from '@expe/server-kit';
import {
  AppError,
  newId,
  notFound,
  type Executor,
  type Page,
  type PageRequest,
} from '@expe/server-kit';
import type {
  CreatePaymentInput,
  CreatePaymentLinkInput,
  UpdatePaymentLinkInput,
} from '@expe/contracts';
import {
  findLivePaymentOfLink,
  findScopedPaymentLink,
  insertPaymentLink,
  lockPaymentLink,
  listPaymentLinks as listPaymentLinkRows,
  updatePaymentLink,
  type PaymentLinkRow,
} from '../db/payment-link-repository.js';
import type { PaymentRow } from '../../payments/db/payment-repository.js';
import type { Clock } from '../../shared/domain/clock.js';
import { mergeMetadata } from '../../shared/domain/metadata.js';
import { createPayment, type PaymentMerchant } from '../../payments/domain/create-payment.js';
import { toPaymentLinkResource, type InstrumentUrls } from './checkout-resources.js';
import { recordInstrumentEvent } from '../../events/domain/events.js';

export async function createPaymentLink(
  tx: Executor,
  command: {
    merchant: PaymentMerchant;
    scope: Scope;
    input: CreatePaymentLinkInput;
    now: Date;
    urls: InstrumentUrls;
  },
): Promise<PaymentLinkRow> {
  const { input, now } = command;
  const id = newId('plink');
  const link = await insertPaymentLink(tx, command.scope, {
    id,
    merchantName: command.merchant.name,
    amount: input.amount,
    currency: input.currency,
    description: input.description,
    metadata: input.metadata ?? {},
    url: command.urls.paymentLink(id),
    reusable: input.reusable ?? false,
    createdAt: now,
    updatedAt: now,
  });
  await recordInstrumentEvent(tx, 'payment_link.created', link, toPaymentLinkResource(link), now);
  return link;
}

export async function getPaymentLink(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<PaymentLinkRow> {
  const link = await findScopedPaymentLink(db, scope, id);
  if (!link) throw notFound('payment_link', id);
  return link;
}

/** `active: false` deactivates the link (the page stops taking payments), `true` reopens it. */
export async function updatePaymentLinkSettings(
  tx: Executor,
  scope: Scope,
  id: string,
  input: UpdatePaymentLinkInput,
  now: Date,
): Promise<PaymentLinkRow> {
  await getPaymentLink(tx, scope, id);
  const link = await lockPaymentLink(tx, id);
  if (!link) throw notFound('payment_link', id);
  if (input.active === true && !link.reusable && link.paymentsCount > 0) {
    throw AppError.of(
      'payment_link_inactive',
      'This link was for one payment and has been paid; create a new link',
      { param: 'active' },
    );
  }
  const changes = {
    ...(input.active !== undefined && input.active !== link.active ? { active: input.active } : {}),
    ...(input.metadata !== undefined
      ? { metadata: mergeMetadata(link.metadata, input.metadata) }
      : {}),
  };
  if (Object.keys(changes).length === 0) return link;
  const updated = await updatePaymentLink(tx, id, { ...changes, updatedAt: now });
  await recordInstrumentEvent(
    tx,
    'payment_link.updated',
    updated,
    toPaymentLinkResource(updated),
    now,
  );
  return updated;
}

/**
 * What the link's public page calls: a payment for the link to pay in the hosted checkout. A
 * link for one payment hands out the same payment while it may still be paid (so two visitors
 * never both pay it); a reusable link makes a new payment per visit.
 */
export async function startPaymentLinkCheckout(
  tx: Executor,
  command: { linkId: string; clock: Clock; expirySeconds: number },
): Promise<{ payment: PaymentRow; isNew: boolean }> {
  const link = await lockPaymentLink(tx, command.linkId);
  if (!link) throw notFound('payment_link', command.linkId);
  if (!link.active) {
    throw AppError.of('payment_link_inactive', 'This payment link is no longer active', {
      param: 'id',
    });
  }
  const { clock } = command;
  const scope = scopeOf(link);
  if (!link.reusable) {
    const current = await findLivePaymentOfLink(tx, link.id, await clock.now(tx, scope));
    if (current) return { payment: current, isNew: false };
  }
  const payment = await createPayment(tx, {
    merchant: { id: link.merchantId, name: link.merchantName },
    scope: scopeOf(link),
    input: {
      amount: link.amount,
      currency: link.currency as CreatePaymentInput['currency'],
      description: link.description,
    },
    expirySeconds: command.expirySeconds,
    clock,
    instruments: { paymentLinkId: link.id },
  });
  return { payment, isNew: true };
}

/** The project's payment links in its mode, newest first. */
export function listPaymentLinks(
  db: Executor,
  scope: Scope,
  page: PageRequest,
): Promise<Page<PaymentLinkRow>> {
  return listPaymentLinkRows(db, scope, page);
}
