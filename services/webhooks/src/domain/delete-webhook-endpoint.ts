import { type Database, withTransaction, type Scope } from '@expe/server-kit';
import { cancelPendingDeliveriesOfEndpoint } from '../db/delivery-repository.js';
import { updateEndpoint, type EndpointRow } from '../db/endpoint-repository.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';

/** Soft-deletes the endpoint (its attempt log stays) and stops what is pending for it. */
export async function deleteWebhookEndpoint(
  db: Database,
  scope: Scope,
  id: string,
): Promise<EndpointRow> {
  return withTransaction(db, async (tx) => {
    await getWebhookEndpoint(tx, scope, id, { forUpdate: true });
    const now = new Date();
    await cancelPendingDeliveriesOfEndpoint(tx, id, now);
    return updateEndpoint(tx, scope, id, { deletedAt: now, updatedAt: now });
  });
}
