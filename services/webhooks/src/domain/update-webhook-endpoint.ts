import { withTransaction, type Scope } from '@expe/server-kit';
import type { UpdateWebhookEndpointInput } from '@expe/contracts';
import { cancelPendingDeliveriesOfEndpoint } from '../db/delivery-repository.js';
import {
  updateEndpoint,
  type EndpointRow,
  type NewEndpointRow,
} from '../db/endpoint-repository.js';
import type { WebhooksContext } from './context.js';
import { disabledEventType, recordEndpointEvent } from './endpoint-events.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';
import { vetWebhookEndpointInput } from './create-webhook-endpoint.js';

/**
 * Changes the URL, events or description, or disables / enables the endpoint. Disabling stops
 * what is pending and writes `webhook_endpoint.disabled` to the outbox in the same
 * transaction; enabling starts the failure clock afresh.
 */
export async function updateWebhookEndpoint(
  ctx: WebhooksContext,
  scope: Scope,
  id: string,
  input: UpdateWebhookEndpointInput,
  options: { isVetted?: boolean } = {},
): Promise<EndpointRow> {
  await getWebhookEndpoint(ctx.db, scope, id);
  if (!options.isVetted) await vetWebhookEndpointInput(ctx, scope, input);
  const now = new Date();
  return withTransaction(ctx.db, async (tx) => {
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
    const endpoint = await updateEndpoint(tx, scope, id, changes);
    if (isNewlyDisabled) await recordEndpointEvent(tx, disabledEventType, endpoint, now);
    return endpoint;
  });
}
