import type { Executor, Scope } from '@expe/server-kit';
import { listEndpointsOfScope, type EndpointRow } from '../db/endpoint-repository.js';
import type { Page, PageRequest } from '@expe/server-kit';

export function listWebhookEndpoints(
  db: Executor,
  scope: Scope,
  page: PageRequest,
): Promise<Page<EndpointRow>> {
  return listEndpointsOfScope(db, scope, page);
}
