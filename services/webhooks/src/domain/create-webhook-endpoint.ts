import { newId, withTransaction } from '@expe/server-kit';
import type { CreateWebhookEndpointInput } from '@expe/contracts';
import {
  insertEndpoint,
  insertEndpointSecret,
  type EndpointRow,
  type EndpointScope,
} from '../db/endpoint-repository.js';
import type { WebhooksContext } from './context.js';
import { generateSigningSecret } from './secret-box.js';
import { vetEndpointUrl } from './vet-endpoint-url.js';

export interface EndpointWithSecret {
  endpoint: EndpointRow;
  /** In clear only in this answer; stored encrypted. */
  secret: string;
}

export async function createWebhookEndpoint(
  ctx: WebhooksContext,
  scope: EndpointScope,
  input: CreateWebhookEndpointInput,
): Promise<EndpointWithSecret> {
  // Outside the transaction: DNS may take a while and must not hold a connection.
  await vetEndpointUrl(ctx, input.url, scope.mode);
  const now = new Date();
  const id = newId('we');
  const secret = generateSigningSecret();
  return withTransaction(ctx.db, async (tx) => {
    const endpoint = await insertEndpoint(tx, {
      id,
      merchantId: scope.merchantId,
      mode: scope.mode,
      url: input.url,
      enabledEvents: input.enabled_events,
      description: input.description || null,
      format: input.format,
      createdAt: now,
      updatedAt: now,
    });
    await insertEndpointSecret(tx, {
      id: newId('whs'),
      endpointId: id,
      ciphertext: ctx.secretBox.seal(id, secret),
      createdAt: now,
    });
    return { endpoint, secret };
  });
}
