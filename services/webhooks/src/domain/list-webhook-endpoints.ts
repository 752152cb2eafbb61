import type { Executor } from '@expe/server-kit';
import {
  listEndpointsOfScope,
  type EndpointRow,
  type EndpointScope,
} from '../db/endpoint-repository.js';
import type { Page, PageRequest } from '@expe/server-kit';

export function listWebhookEndpoints(
  db: Executor,
  scope: EndpointScope,
  page: PageRequest,
): Promise<Page<EndpointRow>> {
  return listEndpointsOfScope(db, scope, page);
}
