import type { Merchant, WebhookEndpoint, WebhookEndpointStatus } from '../../api/v1alpha1/index.js';
import type { WebhookEndpointResource } from '@expe/contracts';
import type { Logger } from '@expe/server-kit';
import type { MerchantsClient } from '../../clients/merchants-client.js';
import type { EndpointOwner, WebhooksClient } from '../../clients/webhooks-client.js';
import type { KubeClients } from '../../kube/client.js';
import { customResourceApi, parseKey } from '../../kube/custom-resources.js';
import type { CacheView } from '../../kube/informers.js';
import { recordEvent } from '../../kube/events.js';
import {
  decodeSecretValue,
  describeHolder,
  isOwnedBy,
  readSecret,
  rotationAnnotation,
  SecretConflictError,
  writeOwnedSecret,
  type DesiredSecret,
} from '../../kube/secrets.js';
import { isReady, nextStatus, type Outcome } from '../conditions.js';
import { abandonCleanupOrRethrow, settleFailedReconcile } from '../failed-reconcile.js';
import {
  forceDeleteAnnotation,
  hasFinalizer,
  ownerReferenceTo,
  withFinalizer,
  withoutFinalizer,
} from '../merchant/desired.js';
import type { ReconcileResult } from '../work-queue.js';
import { deleteOwnedSecretOnCleanup } from '../../kube/namespaces.js';
import { deleteRegisteredEndpoint, endpointDescription, ownerAnnotation } from './registration.js';

export const webhookEndpointFinalizer = 'expe.dev/webhook-endpoint-cleanup';
export { endpointDescription, ownerAnnotation } from './registration.js';
/** The API key the operator acts through for a project and mode. */
export const operatorKeyName = 'expe-operator';

export interface WebhookEndpointControllerDeps {
  kube: KubeClients;
  /** Informer caches: the endpoint and the Merchant it names are read there. */
  cache: CacheView<WebhookEndpoint>;
  merchantCache: CacheView<Merchant>;
  merchants: MerchantsClient;
  webhooks: WebhooksClient;
  logger: Logger;
  /** How soon to look again while the Merchant is missing or not ready. */
  waitForMerchantMs?: number;
  /** How long deletion retries removing the endpoint before it gives up (default 10 minutes). */
  cleanupTimeoutMs?: number;
  /** The same in a namespace that is being deleted (default 30 s). */
  terminatingNamespaceTimeoutMs?: number;
}

/** Whether the registered endpoint differs from the spec in what the spec controls. */
export function endpointDrift(
  endpoint: { spec: Pick<WebhookEndpoint['spec'], 'url' | 'enabledEvents' | 'disabled'> },
  current: WebhookEndpointResource,
) {
  const wantedEvents = [...new Set(endpoint.spec.enabledEvents)].sort();
  const disabled = endpoint.spec.disabled ?? false;
  const isDrifted =
    current.url !== endpoint.spec.url ||
    JSON.stringify([...current.enabled_events].sort()) !== JSON.stringify(wantedEvents) ||
    (current.status === 'disabled') !== disabled;
  return isDrifted ? { url: endpoint.spec.url, enabled_events: wantedEvents, disabled } : undefined;
}

function signingSecret(
  endpoint: WebhookEndpoint,
  endpointId: string,
  secret: string,
): DesiredSecret {
  const trigger = endpoint.spec.signingSecretRotation?.trigger;
  return {
    key: {
      namespace: endpoint.metadata?.namespace ?? '',
      name: endpoint.spec.signingSecretRef.name,
    },
    owner: ownerReferenceTo(endpoint),
    data: { signingSecret: secret, endpointId },
    // A secret issued now answers to the current rotation trigger.
    ...(trigger ? { annotations: { [rotationAnnotation]: trigger } } : {}),
  };
}

/**
 * Reconciles one WebhookEndpoint against the webhooks service. It waits (Degraded) for its
 * Merchant to be Ready, then registers the endpoint once, keeps url/events/disabled in line
 * with the spec and the signing secret in the named Secret.
 */
export function createWebhookEndpointReconciler(deps: WebhookEndpointControllerDeps) {
  const { kube, merchants, webhooks, logger } = deps;
  const api = customResourceApi(kube, 'webhookEndpoint', { writesTo: deps.cache });
  const waitMs = deps.waitForMerchantMs ?? 5_000;
  const limits = {
    cleanupTimeoutMs: deps.cleanupTimeoutMs ?? 600_000,
    terminatingNamespaceTimeoutMs: deps.terminatingNamespaceTimeoutMs ?? 30_000,
  };

  async function writeStatus(
    endpoint: WebhookEndpoint,
    outcome: Outcome,
    fields: Partial<WebhookEndpointStatus>,
  ) {
    const status = nextStatus(endpoint, outcome, fields, new Date());
    if (JSON.stringify(status) === JSON.stringify(endpoint.status ?? {})) return;
    await api.patchStatus(
      { namespace: endpoint.metadata?.namespace ?? '', name: endpoint.metadata?.name ?? '' },
      status,
    );
  }

  /** Removes the endpoint and its Secret; bounded like the Merchant's cleanup. */
  async function cleanUp(endpoint: WebhookEndpoint, finalReason?: string): Promise<void> {
    const endpointId = endpoint.status?.endpointId;
    const isForced = endpoint.metadata?.annotations?.[forceDeleteAnnotation] === 'true';
    if (!isForced) {
      try {
        await deleteRegisteredEndpoint(webhooks, endpoint);
        await deleteOwnedSecretOnCleanup(
          kube,
          logger,
          {
            namespace: endpoint.metadata?.namespace ?? '',
            name: endpoint.spec.signingSecretRef.name,
          },
          ownerReferenceTo(endpoint),
        );
      } catch (error) {
        await abandonCleanupOrRethrow(error, {
          kube,
          logger,
          resource: endpoint,
          limits,
          finalReason,
          noun: 'webhook endpoint',
          logFields: { webhookEndpoint: endpoint.metadata?.name, endpointId },
          leftBehind: `Endpoint ${endpointId ?? '(none)'} may still be registered`,
        });
      }
    }
    await api.replace(withoutFinalizer(endpoint, webhookEndpointFinalizer));
  }

  /** The merchant's ids for this endpoint, or why they are not there yet. */
  async function resolveOwner(
    endpoint: WebhookEndpoint,
  ): Promise<{ owner: EndpointOwner } | { reason: string; message: string }> {
    const namespace = endpoint.metadata?.namespace ?? '';
    const merchant = deps.merchantCache.get({ namespace, name: endpoint.spec.merchantRef.name });
    if (!merchant || merchant.metadata?.deletionTimestamp) {
      return {
        reason: 'MerchantNotFound',
        message: `Merchant ${endpoint.spec.merchantRef.name} does not exist`,
      };
    }
    const merchantId = merchant.status?.merchantId;
    const isCurrent = merchant.status?.observedGeneration === merchant.metadata?.generation;
    if (!merchantId || !isReady(merchant.status?.conditions) || !isCurrent) {
      return {
        reason: 'MerchantNotReady',
        message: `Merchant ${endpoint.spec.merchantRef.name} is not Ready yet`,
      };
    }
    const project = merchant.status?.projects?.find((p) => p.name === endpoint.spec.project);
    if (!project) {
      return {
        reason: 'ProjectNotFound',
        message: `Merchant ${endpoint.spec.merchantRef.name} has no project ${endpoint.spec.project}`,
      };
    }
    // The webhooks service scopes endpoints by API key identity; a dedicated key gives one.
    const key = await merchants.ensureApiKey(merchantId, project.id, {
      name: operatorKeyName,
      mode: endpoint.spec.mode,
    });
    return {
      owner: { keyId: key.id, merchantId, projectId: project.id, mode: endpoint.spec.mode },
    };
  }

  async function findOrCreate(endpoint: WebhookEndpoint, owner: EndpointOwner) {
    const known = endpoint.status?.endpointId
      ? await webhooks.get(owner, endpoint.status.endpointId)
      : undefined;
    if (known) return { current: known, secret: undefined };
    const description = endpointDescription(endpoint);
    const adopted = await webhooks.findByDescription(owner, description);
    if (adopted) return { current: adopted, secret: undefined };
    const created = await webhooks.create(owner, {
      url: endpoint.spec.url,
      enabledEvents: endpoint.spec.enabledEvents,
      description,
    });
    await recordEvent(kube, logger, endpoint, {
      type: 'Normal',
      reason: 'EndpointRegistered',
      message: `Registered webhook endpoint ${created.id}`,
    });
    return { current: created, secret: created.secret };
  }

  /** Deletion reads the object from the API, not the cache (see the Merchant's finalize). */
  async function finalize(endpoint: WebhookEndpoint, finalReason?: string): Promise<void> {
    const fresh = await api.get({
      namespace: endpoint.metadata?.namespace ?? '',
      name: endpoint.metadata?.name ?? '',
    });
    if (fresh && hasFinalizer(fresh, webhookEndpointFinalizer)) await cleanUp(fresh, finalReason);
  }

  async function reconcileWebhookEndpoint(key: string): Promise<ReconcileResult | void> {
    let endpoint = deps.cache.get(parseKey(key));
    if (!endpoint) return;
    if (endpoint.metadata?.deletionTimestamp) {
      if (hasFinalizer(endpoint, webhookEndpointFinalizer)) await finalize(endpoint);
      return;
    }
    try {
      const resolved = await resolveOwner(endpoint);
      if (!('owner' in resolved)) {
        // A Merchant that exists but is not Ready yet is a dependency still converging: the
        // endpoint is Progressing, not Degraded (a missing Merchant or project is a fault).
        const kind = resolved.reason === 'MerchantNotReady' ? 'progressing' : 'degraded';
        await writeStatus(endpoint, { kind, ...resolved }, {});
        return { requeueAfterMs: waitMs };
      }
      const { owner } = resolved;
      const annotation = JSON.stringify(owner);
      if (
        !hasFinalizer(endpoint, webhookEndpointFinalizer) ||
        endpoint.metadata?.annotations?.[ownerAnnotation] !== annotation
      ) {
        const base = hasFinalizer(endpoint, webhookEndpointFinalizer)
          ? endpoint
          : withFinalizer(endpoint, webhookEndpointFinalizer);
        endpoint = await api.replace({
          ...base,
          metadata: {
            ...base.metadata,
            annotations: { ...base.metadata?.annotations, [ownerAnnotation]: annotation },
          },
        });
      }
      const secretRef = {
        namespace: endpoint.metadata?.namespace ?? '',
        name: endpoint.spec.signingSecretRef.name,
      };
      const stored = await readSecret(kube, secretRef);
      if (stored && !isOwnedBy(stored, ownerReferenceTo(endpoint))) {
        throw new SecretConflictError(secretRef.name, describeHolder(stored));
      }
      const { current, secret } = await findOrCreate(endpoint, owner);
      if (secret !== undefined) {
        await writeOwnedSecret(kube, signingSecret(endpoint, current.id, secret));
      } else {
        if (!stored || decodeSecretValue(stored, 'endpointId') !== current.id) {
          // A signing secret is shown only once, so a lost one is replaced by a new one.
          const rotated = await webhooks.rotateSecret(owner, current.id);
          if (rotated.secret === undefined)
            throw new Error('rotate_secret answered without a secret');
          await writeOwnedSecret(kube, signingSecret(endpoint, current.id, rotated.secret));
          await recordEvent(kube, logger, endpoint, {
            type: 'Warning',
            reason: 'SigningSecretReissued',
            message: `Secret ${endpoint.spec.signingSecretRef.name} was missing or stale; rotated the signing secret`,
          });
        } else if (
          endpoint.spec.signingSecretRotation?.trigger &&
          stored.metadata?.annotations?.[rotationAnnotation] !==
            endpoint.spec.signingSecretRotation.trigger
        ) {
          // Rotation with overlap: deliveries are signed with both secrets for overlapSeconds.
          const overlap = endpoint.spec.signingSecretRotation.overlapSeconds ?? 86_400;
          const rotated = await webhooks.rotateSecret(owner, current.id, overlap);
          if (rotated.secret === undefined)
            throw new Error('rotate_secret answered without a secret');
          await writeOwnedSecret(kube, signingSecret(endpoint, current.id, rotated.secret));
          await recordEvent(kube, logger, endpoint, {
            type: 'Normal',
            reason: 'SigningSecretRotated',
            message: `Rotated the signing secret into Secret ${endpoint.spec.signingSecretRef.name}; the previous one signs too for ${overlap} s`,
          });
        }
      }
      const drift = endpointDrift(endpoint, current);
      if (drift) await webhooks.update(owner, current.id, drift);
      await writeStatus(
        endpoint,
        { kind: 'ready', message: `Webhook endpoint ${current.id} registered` },
        { endpointId: current.id },
      );
    } catch (error) {
      const failed = endpoint;
      return settleFailedReconcile(error, {
        kube,
        logger,
        resource: failed,
        writeStatus: (outcome) => writeStatus(failed, outcome, {}),
        conflictRetryMs: 30_000,
      });
    }
  }

  return {
    reconcile: reconcileWebhookEndpoint,
    /** One cleanup attempt, then the finalizer goes whatever happened (see the Merchant's). */
    release: (endpoint: WebhookEndpoint, reason: string) => finalize(endpoint, reason),
  };
}
