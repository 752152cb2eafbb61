import { withTransaction, type Scope } from '@expe/server-kit';
import type { RotateWebhookSecretInput } from '@expe/contracts';
import { expireCurrentSecret } from '../db/endpoint-repository.js';
import type { WebhooksContext } from './context.js';
import { issueSigningSecret, type EndpointWithSecret } from './create-webhook-endpoint.js';
import { getWebhookEndpoint } from './get-webhook-endpoint.js';

/**
 * Issues a new signing secret. The current one keeps signing for `expires_in` seconds, so
 * deliveries carry both signatures while the merchant deploys the new secret.
 */
export async function rotateEndpointSecret(
  ctx: WebhooksContext,
  scope: Scope,
  id: string,
  input: RotateWebhookSecretInput,
): Promise<EndpointWithSecret> {
  return withTransaction(ctx.db, async (tx) => {
    // Locked so that two concurrent rotations cannot both expire the same current secret.
    const endpoint = await getWebhookEndpoint(tx, scope, id, { forUpdate: true });
    const now = new Date();
    await expireCurrentSecret(tx, id, new Date(now.getTime() + input.expires_in * 1000));
    return { endpoint, secret: await issueSigningSecret(tx, ctx, id, now) };
  });
}
