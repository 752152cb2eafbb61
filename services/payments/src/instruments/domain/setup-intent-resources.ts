import { unixSeconds } from '@expe/server-kit';
import type { SetupIntentResource } from '@expe/contracts';
import type { SetupIntentRow } from '../db/setup-intent-repository.js';
import type { PaymentLinks } from '../../payments/domain/resources.js';

export type { SetupIntentRow };

/**
 * A SetupIntent on the wire. Its client secret is derived like a payment's (never stored), and a
 * 3-D Secure setup sends the cardholder to the hosted challenge page, as a payment does.
 */
export function toSetupIntentResource(
  row: SetupIntentRow,
  links: PaymentLinks,
): SetupIntentResource {
  return {
    ...setupIntentFields(row),
    next_action: nextAction(row, links.authenticateUrl(row.id, true)),
    client_secret: links.clientSecret(row.id),
  };
}

/** The SetupIntent as events carry it: without the client secret, which is never stored. */
export function toSetupIntentEventData(row: SetupIntentRow): Record<string, unknown> {
  return { ...setupIntentFields(row), next_action: nextAction(row, `/pay/${row.id}/authenticate`) };
}

function nextAction(row: SetupIntentRow, url: string) {
  return row.status === 'requires_action'
    ? { type: 'redirect_to_url' as const, redirect_to_url: { url } }
    : null;
}

function setupIntentFields(row: SetupIntentRow) {
  return {
    id: row.id,
    object: 'setup_intent' as const,
    status: row.status,
    usage: row.usage,
    customer: row.customerId,
    payment_method: row.paymentMethodId,
    payment_method_types: ['card' as const],
    description: row.description,
    metadata: row.metadata,
    last_setup_error: row.lastSetupError,
    cancellation_reason: row.cancellationReason,
    return_url: row.returnUrl,
    livemode: row.mode === 'live',
    created: unixSeconds(row.createdAt),
  };
}
