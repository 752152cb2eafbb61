import { notFound, type Executor, type Scope } from '@expe/server-kit';
import { findEndpoint, type EndpointRow } from '../db/endpoint-repository.js';

/** An endpoint of the caller's project and mode; anyone else's reads as missing. */
export async function getWebhookEndpoint(
  db: Executor,
  scope: Scope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EndpointRow> {
  const endpoint = await findEndpoint(db, scope, id, options);
  if (!endpoint) throw notFound('webhook endpoint', id);
  return endpoint;
}
