import { withTransaction } from '@expe/server-kit';
import type { UpdateWebhookEndpointInput } from '@expe/contracts';
import { cancelPendingDeliveriesOfEndpoint } from '../db/delivery-repository.js';
import {
  updateEndpoint,
  type EndpointRow,
  type EndpointScope,
  type NewEndpointRow,
} from '../db/endpoint-repository.js';
import type { WebhooksContext } from './context.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';
import { toWebhookEndpointResource } from './resources.js';
import { vetWebhookEndpointInput } from './create-webhook-endpoint.js';

/**
 * Changes the URL, events or description, or disables / enables the endpoint. Disabling stops
 * what is pending and records `webhook_endpoint.disabled` in the merchant's event log;
 * enabling starts the failure clock afresh.
 */
export async function updateWebhookEndpoint(
  ctx: WebhooksContext,
  scope: EndpointScope,
  id: string,
  input: UpdateWebhookEndpointInput,
  options: { isVetted?: boolean } = {},
): Promise<{ endpoint: EndpointRow; afterCommit: () => void }> {
  await getWebhookEndpoint(ctx.db, scope, id);
  if (!options.isVetted) await vetWebhookEndpointInput(ctx, scope, input);
  const now = new Date();
  const { endpoint, isNewlyDisabled } = await withTransaction(ctx.db, async (tx) => {
    const current = await getWebhookEndpoint(tx, scope, id, { forUpdate: true });
    const changes: Partial<NewEndpointRow> = { updatedAt: now };
    if (input.url !== undefined) changes.url = input.url;
    if (input.enabled_events !== undefined) changes.enabledEvents = input.enabled_events;
    if (input.description !== undefined) changes.description = input.description || null;
    if (input.simulate !== undefined) changes.simulate = input.simulate;
    const isNewlyDisabled = input.disabled === true && current.status === 'enabled';
    if (isNewlyDisabled) {
      changes.status = 'disabled';
      changes.disabledReason = 'manual';
      await cancelPendingDeliveriesOfEndpoint(tx, id, now);
    } else if (input.disabled === false && current.status === 'disabled') {
      changes.status = 'enabled';
      changes.disabledReason = null;
      changes.failingSince = null;
    }
    return { endpoint: await updateEndpoint(tx, id, changes), isNewlyDisabled };
  });
  // Once committed (the caller's transaction may be wider than this one).
  const afterCommit = () => {
    if (!isNewlyDisabled) return;
    ctx.notifier.notify({
      merchantId: scope.merchantId,
      mode: scope.mode,
      endpoint: toWebhookEndpointResource(endpoint),
    });
  };
  return { endpoint, afterCommit };
}
