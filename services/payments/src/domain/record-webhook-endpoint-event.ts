import type { Executor } from '@expe/server-kit';
import type { EventRow } from '../db/event-repository.js';
import type { Mode } from '../db/schema.js';
import { recordEvent, type WebhookEndpointEventType } from './events.js';

export interface WebhookEndpointEventCommand {
  type: WebhookEndpointEventType;
  merchantId: string;
  mode: Mode;
  /** The webhook endpoint as the webhooks service shows it. */
  object: Record<string, unknown> & { id: string };
}

/**
 * Events about webhook endpoints (`webhook_endpoint.disabled`) happen in the webhooks service,
 * but the merchant's event log lives here, so it records them through the internal API.
 */
export function recordWebhookEndpointEvent(
  tx: Executor,
  command: WebhookEndpointEventCommand,
): Promise<EventRow> {
  return recordEvent(tx, {
    type: command.type,
    livemode: command.mode === 'live',
    merchantId: command.merchantId,
    userIds: [],
    objectId: command.object.id,
    paymentId: null,
    data: command.object,
    createdAt: new Date(),
  });
}
