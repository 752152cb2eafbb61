import { notFound, type Executor } from '@expe/server-kit';
import { findEndpoint, type EndpointRow, type EndpointScope } from '../db/endpoint-repository.js';

/** An endpoint of the caller's merchant and mode; anyone else's reads as missing. */
export async function getWebhookEndpoint(
  db: Executor,
  scope: EndpointScope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow> {
  const endpoint = await findEndpoint(db, scope, id, options);
  if (!endpoint) throw notFound('webhook endpoint', id);
  return endpoint;
}
