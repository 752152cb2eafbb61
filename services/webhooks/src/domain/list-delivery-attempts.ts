import type { Executor, Scope } from '@expe/server-kit';
import { listAttemptsOfEndpoint, type DeliveryAttemptRow } from '../db/delivery-repository.js';
import type { Page, PageRequest } from '@expe/server-kit';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';

/** The attempt log of one endpoint, newest first, optionally of one event. */
export async function listDeliveryAttempts(
  db: Executor,
  scope: Scope,
  endpointId: string,
  filter: { eventId?: string | undefined },
  page: PageRequest,
): Promise<Page<DeliveryAttemptRow>> {
  const endpoint = await getWebhookEndpoint(db, scope, endpointId);
  return listAttemptsOfEndpoint(db, scope, endpoint.id, filter, page);
}
