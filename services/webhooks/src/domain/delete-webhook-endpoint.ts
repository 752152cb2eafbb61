import { type Database, withTransaction } from '@expe/server-kit';
import { cancelPendingDeliveriesOfEndpoint } from '../db/delivery-repository.js';
import { updateEndpoint, type EndpointRow, type EndpointScope } from '../db/endpoint-repository.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';

/** Soft-deletes the endpoint (its attempt log stays) and stops what is pending for it. */
export async function deleteWebhookEndpoint(
  db: Database,
  scope: EndpointScope,
  id: string,
): Promise<EndpointRow> {
  return withTransaction(db, async (tx) => {
    await getWebhookEndpoint(tx, scope, id, { forUpdate: true });
    const now = new Date();
    await cancelPendingDeliveriesOfEndpoint(tx, id, now);
    return updateEndpoint(tx, id, { deletedAt: now, updatedAt: now });
  });
}
