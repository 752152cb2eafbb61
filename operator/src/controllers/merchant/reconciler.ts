import type {
  Merchant,
  MerchantStatus,
  MerchantStatusProject,
  WebhookEndpoint,
} from '../../api/v1alpha1/index.js';
import { AppError, type Logger } from '@expe/server-kit';
import { UpstreamError, type MerchantsClient } from '../../clients/merchants-client.js';
import type { WebhooksClient } from '../../clients/webhooks-client.js';
import type { KubeClients } from '../../kube/client.js';
import { customResourceApi, parseKey } from '../../kube/custom-resources.js';
import type { CacheView } from '../../kube/informers.js';
import { recordEvent } from '../../kube/events.js';
import { deleteOwnedSecretOnCleanup } from '../../kube/namespaces.js';
import {
  decodeSecretValue,
  deleteOwnedSecret,
  describeHolder,
  isOwnedBy,
  readSecret,
  SecretConflictError,
  writeOwnedSecret,
} from '../../kube/secrets.js';
import { nextStatus, type Outcome } from '../conditions.js';
import { abandonCleanupOrRethrow, rethrowWithStatus } from '../failed-reconcile.js';
import {
  apiKeySecret,
  desiredKeys,
  externalRefAnnotation,
  forceDeleteAnnotation,
  hasFinalizer,
  merchantFinalizer,
  needsRotation,
  newExternalRef,
  rotationOverlapSeconds,
  ownerReferenceTo,
  removedKeyIds,
  withFinalizer,
  withoutFinalizer,
} from './desired.js';
import type { ReconcileResult } from '../work-queue.js';
import { deleteRegisteredEndpoint } from '../webhookendpoint/registration.js';

const toTimestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface MerchantControllerDeps {
  kube: KubeClients;
  /** The informer cache of Merchants: reconcile reads the object there, not from the API. */
  cache: CacheView<Merchant>;
  merchants: MerchantsClient;
  /**
   * The webhooks service and the WebhookEndpoint cache: deleting a Merchant removes the
   * endpoints registered for it first, while its keys (the identity they are removed with) still
   * work.
   */
  webhooks: WebhooksClient;
  endpointCache: CacheView<WebhookEndpoint>;
  logger: Logger;
  /** How long deletion retries revoking keys before it gives up (default 10 minutes). */
  cleanupTimeoutMs?: number;
  /** The same in a namespace that is being deleted (default 30 s). */
  terminatingNamespaceTimeoutMs?: number;
  /** How soon a Merchant in SecretConflict looks again (default 30 s). */
  conflictRetryMs?: number;
}

/**
 * Reconciles one Merchant: the merchant (by the external reference kept in the resource's
 * expe.dev/external-ref annotation: namespace/name plus a random suffix, so a backup restored
 * with new UIDs finds the same merchant and a re-created resource gets a new one), its projects
 * (by name) and API keys (by project and name) in the merchants service, one Secret per key, and
 * the status. Nothing is remembered between passes; the merchants service and the Secrets are
 * the state. A Secret the resource does not own is never touched (Degraded: SecretConflict).
 */
export function createMerchantReconciler(deps: MerchantControllerDeps) {
  const { kube, merchants, logger } = deps;
  const api = customResourceApi(kube, 'merchant', { writesTo: deps.cache });
  const limits = {
    cleanupTimeoutMs: deps.cleanupTimeoutMs ?? 600_000,
    terminatingNamespaceTimeoutMs: deps.terminatingNamespaceTimeoutMs ?? 30_000,
  };
  const conflictRetryMs = deps.conflictRetryMs ?? 30_000;

  /**
   * The webhook endpoints registered for this Merchant's WebhookEndpoints are deleted from the
   * webhooks service before the merchant is deactivated: afterwards the identity they are
   * deleted with is revoked, and the endpoints would stay enabled with their signing secrets.
   */
  async function deleteEndpointsOf(merchant: Merchant): Promise<void> {
    const namespace = merchant.metadata?.namespace ?? '';
    for (const endpoint of deps.endpointCache.list(namespace)) {
      if (endpoint.spec.merchantRef.name !== merchant.metadata?.name) continue;
      const deleted = await deleteRegisteredEndpoint(deps.webhooks, endpoint);
      if (deleted) {
        await recordEvent(kube, logger, endpoint, {
          type: 'Normal',
          reason: 'EndpointRemoved',
          message: `Merchant ${merchant.metadata?.name} is being deleted: removed webhook endpoint ${deleted} from the webhooks service`,
        });
      }
    }
  }

  /**
   * Deletion: every key of the merchant is revoked and the merchant deactivated (keys issued
   * after the last status write and the operator's own webhook keys included), then the Secrets
   * this resource owns are deleted. While the merchants service fails this is retried with
   * backoff for cleanupTimeoutMs; after that, or at once with expe.dev/force-delete=true, the
   * finalizer goes with a Warning event naming what was left behind.
   */
  async function cleanUp(merchant: Merchant, finalReason?: string): Promise<void> {
    const merchantId = merchant.status?.merchantId;
    const externalRef = merchant.metadata?.annotations?.[externalRefAnnotation];
    const isForced = merchant.metadata?.annotations?.[forceDeleteAnnotation] === 'true';
    if (isForced) {
      await recordEvent(kube, logger, merchant, {
        type: 'Warning',
        reason: 'CleanupSkipped',
        message: `${forceDeleteAnnotation}=true: keys of merchant ${merchantId ?? externalRef ?? '(none)'} were not revoked`,
      });
    } else {
      try {
        await deleteEndpointsOf(merchant);
        const target = merchantId ? { merchantId } : externalRef ? { externalRef } : undefined;
        if (target) {
          const result = await merchants.deactivateMerchant(target);
          await recordEvent(kube, logger, merchant, {
            type: 'Normal',
            reason: 'MerchantDeactivated',
            message: `Deactivated merchant ${result.merchant?.id ?? '(none)'}; revoked ${result.revoked_keys} key(s)`,
          });
        }
        const owner = ownerReferenceTo(merchant);
        for (const wanted of desiredKeys(merchant)) {
          await deleteOwnedSecretOnCleanup(
            kube,
            logger,
            { namespace: merchant.metadata?.namespace ?? '', name: wanted.secretName },
            owner,
          );
        }
      } catch (error) {
        await abandonCleanupOrRethrow(error, {
          kube,
          logger,
          resource: merchant,
          limits,
          finalReason,
          noun: 'merchant',
          logFields: { merchant: merchant.metadata?.name, merchantId, externalRef },
          leftBehind: `Keys of merchant ${merchantId ?? externalRef ?? '(unknown)'} may still be active: revoke them in the merchants service`,
        });
      }
    }
    await api.replace(withoutFinalizer(merchant, merchantFinalizer));
    logger.info({ merchant: merchant.metadata?.name, merchantId }, 'merchant cleaned up');
  }

  async function syncKeys(merchant: Merchant, merchantId: string) {
    const projects: MerchantStatusProject[] = [];
    const conflicts: string[] = [];
    const namespace = merchant.metadata?.namespace ?? '';
    const owner = ownerReferenceTo(merchant);
    const projectIds = new Map<string, string>();
    let rotatedAt: Date | undefined;
    for (const project of merchant.spec.projects ?? []) {
      const ensured = await merchants.ensureProject(merchantId, project.name);
      projectIds.set(project.name, ensured.id);
      projects.push({ name: project.name, id: ensured.id, apiKeys: [] });
    }
    for (const wanted of desiredKeys(merchant)) {
      const projectId = projectIds.get(wanted.project) ?? '';
      const secretRef = { namespace, name: wanted.secretName };
      const current = await readSecret(kube, secretRef);
      if (current && !isOwnedBy(current, owner)) {
        // Someone else's Secret (the platform's, another Merchant's): never touched, no key issued.
        conflicts.push(`${wanted.secretName} (${describeHolder(current)})`);
        continue;
      }
      const key = await merchants.ensureApiKey(merchantId, projectId, {
        name: wanted.name,
        mode: wanted.mode,
      });
      let keyId = key.id;
      if (key.secret !== undefined && key.publishable !== undefined) {
        const desired = apiKeySecret(
          merchant,
          wanted.secretName,
          { ...key, secret: key.secret, publishable: key.publishable },
          merchantId,
        );
        let written: 'created' | 'updated';
        try {
          written = await writeOwnedSecret(kube, desired);
        } catch (error) {
          if (!(error instanceof SecretConflictError)) throw error;
          // Taken between the check and the write: the fresh key would have no home.
          await merchants.revokeApiKey(merchantId, projectId, key.id);
          conflicts.push(`${wanted.secretName} (${error.holder})`);
          continue;
        }
        await recordEvent(kube, logger, merchant, {
          type: written === 'created' ? 'Normal' : 'Warning',
          reason: written === 'created' ? 'KeyIssued' : 'KeyReissued',
          message:
            written === 'created'
              ? `Issued API key ${key.id} into Secret ${wanted.secretName}`
              : `API key ${wanted.name} was no longer active; issued ${key.id} into Secret ${wanted.secretName}`,
        });
      } else if (!current || decodeSecretValue(current, 'keyId') !== key.id) {
        // The key's secret cannot be read back, so a lost Secret means a new key.
        const reissued = await merchants.reissueApiKey(merchantId, projectId, key.id);
        if (reissued.secret === undefined) throw new Error('reissue answered without a secret');
        await writeOwnedSecret(
          kube,
          apiKeySecret(
            merchant,
            wanted.secretName,
            { ...reissued, secret: reissued.secret },
            merchantId,
          ),
        );
        keyId = reissued.id;
        await recordEvent(kube, logger, merchant, {
          type: 'Warning',
          reason: 'KeyReissued',
          message: `Secret ${wanted.secretName} was missing or stale; revoked ${key.id} and issued ${reissued.id}`,
        });
      } else if (needsRotation(merchant, current)) {
        // Roll with overlap: the Secret gets the new secret now, the old one keeps working for
        // overlapSeconds. The trigger lands in the Secret with the secret, so a retry after a
        // failure in between rolls again rather than never.
        const overlap = rotationOverlapSeconds(merchant);
        const rolled = await merchants.rollApiKey(merchantId, projectId, key.id, overlap);
        if (rolled.secret === undefined) throw new Error('roll answered without a secret');
        await writeOwnedSecret(
          kube,
          apiKeySecret(
            merchant,
            wanted.secretName,
            { ...rolled, secret: rolled.secret },
            merchantId,
          ),
        );
        rotatedAt = new Date();
        await recordEvent(kube, logger, merchant, {
          type: 'Normal',
          reason: 'KeyRotated',
          message: `Rolled API key ${key.id} in Secret ${wanted.secretName}; the previous secret works for ${overlap} s more`,
        });
      }
      projects
        .find((project) => project.name === wanted.project)
        ?.apiKeys?.push({
          name: wanted.name,
          id: keyId,
          mode: wanted.mode,
          secretName: wanted.secretName,
        });
    }
    return { projects, conflicts, rotatedAt };
  }

  async function writeStatus(merchant: Merchant, status: MerchantStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(merchant.status ?? {})) return;
    await api.patchStatus(
      { namespace: merchant.metadata?.namespace ?? '', name: merchant.metadata?.name ?? '' },
      status,
    );
  }

  function statusWith(merchant: Merchant, outcome: Outcome, fields: Partial<MerchantStatus>) {
    return nextStatus(merchant, outcome, fields, new Date());
  }

  /**
   * Deletion reads the object from the API, not the cache: a pass queued by the Secrets it just
   * deleted would otherwise see the finalizer still there and clean up (and record) again.
   */
  async function finalize(merchant: Merchant, finalReason?: string): Promise<void> {
    const fresh = await api.get({
      namespace: merchant.metadata?.namespace ?? '',
      name: merchant.metadata?.name ?? '',
    });
    if (fresh && hasFinalizer(fresh, merchantFinalizer)) await cleanUp(fresh, finalReason);
  }

  async function reconcileMerchant(key: string): Promise<ReconcileResult | void> {
    let merchant = deps.cache.get(parseKey(key));
    if (!merchant) return;
    if (merchant.metadata?.deletionTimestamp) {
      if (hasFinalizer(merchant, merchantFinalizer)) await finalize(merchant);
      return;
    }
    const externalRef =
      merchant.metadata?.annotations?.[externalRefAnnotation] ?? newExternalRef(merchant);
    if (
      !hasFinalizer(merchant, merchantFinalizer) ||
      merchant.metadata?.annotations?.[externalRefAnnotation] !== externalRef
    ) {
      const base = hasFinalizer(merchant, merchantFinalizer)
        ? merchant
        : withFinalizer(merchant, merchantFinalizer);
      merchant = await api.replace({
        ...base,
        metadata: {
          ...base.metadata,
          annotations: { ...base.metadata?.annotations, [externalRefAnnotation]: externalRef },
        },
      });
    }
    try {
      const ensured = await merchants.ensureMerchant({
        externalRef,
        name: merchant.spec.displayName,
        email: merchant.spec.email,
      });
      if (ensured.deactivated) {
        await writeStatus(
          merchant,
          statusWith(
            merchant,
            {
              kind: 'degraded',
              reason: 'MerchantDeactivated',
              message: `Merchant ${ensured.id} was deactivated; delete this resource (or remove the ${externalRefAnnotation} annotation to onboard a new merchant)`,
            },
            { merchantId: ensured.id },
          ),
        );
        return;
      }
      if (
        ensured.name !== merchant.spec.displayName ||
        ensured.email !== merchant.spec.email.toLowerCase()
      ) {
        await merchants.updateMerchant(ensured.id, {
          name: merchant.spec.displayName,
          email: merchant.spec.email,
        });
      }
      const { projects, conflicts, rotatedAt } = await syncKeys(merchant, ensured.id);
      const trigger = merchant.spec.rotation?.trigger;
      const rotation =
        trigger && conflicts.length === 0 && merchant.status?.rotation?.trigger !== trigger
          ? { rotation: { trigger, rotatedAt: toTimestamp(rotatedAt ?? new Date()) } }
          : {};
      const keptSecrets = new Set(desiredKeys(merchant).map((wanted) => wanted.secretName));
      for (const removed of removedKeyIds(merchant.status?.projects, projects)) {
        await merchants.revokeApiKey(ensured.id, removed.projectId, removed.keyId);
        // Its Secret goes too (unless another key of the spec writes to it now): a workload
        // mounting a dead key fails with nothing on the Kubernetes side to say why.
        const secretName = removed.secretName;
        const deleted =
          secretName !== undefined &&
          !keptSecrets.has(secretName) &&
          (await deleteOwnedSecret(
            kube,
            { namespace: merchant.metadata?.namespace ?? '', name: secretName },
            ownerReferenceTo(merchant),
          ));
        await recordEvent(kube, logger, merchant, {
          type: 'Normal',
          reason: 'KeyRemoved',
          message: `API key ${removed.name ?? removed.keyId} (${removed.keyId}) is no longer in the spec: revoked it${deleted ? ` and deleted Secret ${secretName}` : ''}`,
        });
      }
      const keyCount = projects.reduce((n, project) => n + (project.apiKeys?.length ?? 0), 0);
      if (conflicts.length > 0) {
        const message = `Secret(s) not owned by this Merchant, left untouched: ${conflicts.join(', ')}. Pick another secretName or remove that Secret`;
        await recordEvent(kube, logger, merchant, {
          type: 'Warning',
          reason: 'SecretConflict',
          message,
        });
        await writeStatus(
          merchant,
          statusWith(
            merchant,
            { kind: 'degraded', reason: 'SecretConflict', message },
            { merchantId: ensured.id, projects },
          ),
        );
        return { requeueAfterMs: conflictRetryMs };
      }
      await writeStatus(
        merchant,
        statusWith(
          merchant,
          {
            kind: 'ready',
            message: `Merchant ${ensured.id} with ${projects.length} project(s) and ${keyCount} key(s)`,
          },
          { merchantId: ensured.id, projects, ...rotation },
        ),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Waiting for the merchants service to answer is work under way, not a fault of the
      // resource: Progressing, retried with backoff. Anything else it answers is Degraded.
      const outcome: Outcome = isMerchantsServiceUnavailable(error)
        ? {
            kind: 'progressing',
            reason: 'WaitingForMerchantsService',
            message: `The merchants service is not answering yet; retrying with backoff (${message})`,
          }
        : { kind: 'degraded', reason: 'ReconcileFailed', message };
      return rethrowWithStatus(
        error,
        outcome,
        (failed) => writeStatus(merchant, statusWith(merchant, failed, {})),
        logger,
      );
    }
  }

  return {
    reconcile: reconcileMerchant,
    /**
     * One cleanup attempt, then the finalizer goes whatever happened: for a namespace that is
     * being deleted with the operator in it (the operator will not be there to retry).
     */
    release: (merchant: Merchant, reason: string) => finalize(merchant, reason),
  };
}

/** No answer (refused, timed out) or a 5xx/429 from the merchants service: it may come back. */
function isMerchantsServiceUnavailable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'service_unavailable';
  if (error instanceof UpstreamError) return error.status >= 500 || error.status === 429;
  return false;
}
