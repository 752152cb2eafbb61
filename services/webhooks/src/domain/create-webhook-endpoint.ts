import { newId, withTransaction, type Executor, type Scope } from '@expe/server-kit';
import type { CreateWebhookEndpointInput, WebhookSimulate } from '@expe/contracts';
import {
  insertEndpoint,
  insertEndpointSecret,
  type EndpointRow,
} from '../db/endpoint-repository.js';
import type { WebhooksContext } from './context.js';
import { generateSigningSecret } from './secret-box.js';
import { vetEndpointUrl } from './vet-endpoint-url.js';
import { assertChaosAllowed } from './webhook-chaos.js';

export interface EndpointWithSecret {
  endpoint: EndpointRow;
  /** In clear only in this answer; stored encrypted. */
  secret: string;
}

/**
 * What is checked before any transaction: the URL (DNS may take a while and must not hold a
 * connection) and that chaos settings are on a test endpoint. A route running the create under
 * an Idempotency-Key calls it first (after the replay check) and then passes `isVetted`.
 */
export async function vetWebhookEndpointInput(
  ctx: Pick<WebhooksContext, 'config' | 'resolveHost'>,
  scope: Scope,
  input: { url?: string | undefined; simulate?: WebhookSimulate | null | undefined },
): Promise<void> {
  assertChaosAllowed(scope.mode, input.simulate);
  if (input.url !== undefined) await vetEndpointUrl(ctx, input.url, scope.mode);
}

export async function createWebhookEndpoint(
  ctx: WebhooksContext,
  scope: Scope,
  input: CreateWebhookEndpointInput,
  options: { isVetted?: boolean } = {},
): Promise<EndpointWithSecret> {
  if (!options.isVetted) await vetWebhookEndpointInput(ctx, scope, input);
  const now = new Date();
  const id = newId('we');
  return withTransaction(ctx.db, async (tx) => {
    // The key's project and mode own the endpoint, whoever forwards the key (gateway, operator).
    const endpoint = await insertEndpoint(tx, scope, {
      id,
      url: input.url,
      enabledEvents: input.enabled_events,
      description: input.description || null,
      format: input.format,
      simulate: input.simulate ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return { endpoint, secret: await issueSigningSecret(tx, ctx, id, now) };
  });
}

/** A new signing secret of the endpoint, stored sealed; the answer is its only clear copy. */
export async function issueSigningSecret(
  tx: Executor,
  ctx: Pick<WebhooksContext, 'secretBox'>,
  endpointId: string,
  now: Date,
): Promise<string> {
  const secret = generateSigningSecret();
  await insertEndpointSecret(tx, {
    id: newId('whs'),
    endpointId,
    ciphertext: ctx.secretBox.seal(endpointId, secret),
    createdAt: now,
  });
  return secret;
}
