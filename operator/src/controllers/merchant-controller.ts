import type { Merchant, MerchantStatus, MerchantStatusProject } from '@expe/kube-harness';
import type { Logger } from '@expe/server-kit';
import type { MerchantsClient } from '../api/merchants-client.js';
import type { KubeClients } from '../kube/client.js';
import { customResourceApi, parseKey } from '../kube/custom-resources.js';
import { recordEvent } from '../kube/events.js';
import { createSecretOnce, decodeSecretValue, readSecret, writeSecret } from '../kube/secrets.js';
import { conditionsFor, type Condition, type Outcome } from './conditions.js';
import {
  apiKeySecret,
  desiredKeys,
  hasFinalizer,
  merchantFinalizer,
  removedKeyIds,
  withFinalizer,
  withoutFinalizer,
} from './merchant-desired.js';
import type { ReconcileResult } from './work-queue.js';

export interface MerchantControllerDeps {
  kube: KubeClients;
  merchants: MerchantsClient;
  logger: Logger;
  /** Counts reconciles by result, for /metrics. */
  onReconciled?: (result: 'success' | 'error') => void;
}

/**
 * Reconciles one Merchant: the merchant (by the resource's UID), its projects (by name) and
 * API keys (by project and name) in the merchants service, one Secret per key, and the status.
 * Nothing is remembered between passes; the merchants service and the Secrets are the state.
 */
export function createMerchantController(deps: MerchantControllerDeps) {
  const { kube, merchants, logger } = deps;
  const api = customResourceApi(kube, 'merchant');

  async function cleanUp(merchant: Merchant): Promise<void> {
    const merchantId = merchant.status?.merchantId;
    if (merchantId) {
      for (const project of merchant.status?.projects ?? []) {
        for (const key of project.apiKeys ?? []) {
          await merchants.revokeApiKey(merchantId, project.id, key.id);
        }
      }
    }
    await api.replace(withoutFinalizer(merchant, merchantFinalizer));
    logger.info({ merchant: merchant.metadata?.name, merchantId }, 'merchant cleaned up');
  }

  async function syncKeys(merchant: Merchant, merchantId: string) {
    const projects: MerchantStatusProject[] = [];
    const namespace = merchant.metadata?.namespace ?? '';
    const projectIds = new Map<string, string>();
    for (const project of merchant.spec.projects ?? []) {
      const ensured = await merchants.ensureProject(merchantId, project.name);
      projectIds.set(project.name, ensured.id);
      projects.push({ name: project.name, id: ensured.id, apiKeys: [] });
    }
    for (const wanted of desiredKeys(merchant)) {
      const projectId = projectIds.get(wanted.project) ?? '';
      const key = await merchants.ensureApiKey(merchantId, projectId, {
        name: wanted.name,
        mode: wanted.mode,
      });
      const secretRef = { namespace, name: wanted.secretName };
      let keyId = key.id;
      if (key.secret !== undefined && key.publishable !== undefined) {
        const desired = apiKeySecret(
          merchant,
          wanted.secretName,
          { ...key, secret: key.secret, publishable: key.publishable },
          merchantId,
        );
        // A fresh key's secret exists only in this answer. If a Secret of that name is there it
        // holds a key that is gone (revoked behind our back), so this is a reissue.
        if (!(await createSecretOnce(kube, desired))) {
          await writeSecret(kube, desired);
          await recordEvent(kube, logger, merchant, {
            type: 'Warning',
            reason: 'KeyReissued',
            message: `API key ${wanted.name} was no longer active; issued ${key.id} into Secret ${wanted.secretName}`,
          });
        } else {
          await recordEvent(kube, logger, merchant, {
            type: 'Normal',
            reason: 'KeyIssued',
            message: `Issued API key ${key.id} into Secret ${wanted.secretName}`,
          });
        }
      } else {
        const secret = await readSecret(kube, secretRef);
        if (!secret || decodeSecretValue(secret, 'keyId') !== key.id) {
          // The key's secret cannot be read back, so a lost Secret means a new key.
          const reissued = await merchants.reissueApiKey(merchantId, projectId, key.id);
          if (reissued.secret === undefined) throw new Error('reissue answered without a secret');
          await writeSecret(
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
        }
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
    return projects;
  }

  async function writeStatus(merchant: Merchant, status: MerchantStatus): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(merchant.status ?? {})) return;
    await api.replaceStatus({ ...merchant, status });
  }

  function statusWith(merchant: Merchant, outcome: Outcome, fields: Partial<MerchantStatus>) {
    const conditions: Condition[] = conditionsFor(
      merchant.status?.conditions ?? [],
      outcome,
      merchant.metadata?.generation,
      new Date(),
    );
    const status: MerchantStatus = { ...merchant.status, ...fields, conditions };
    if (merchant.metadata?.generation !== undefined) {
      status.observedGeneration = merchant.metadata.generation;
    }
    return status;
  }

  return async function reconcileMerchant(key: string): Promise<ReconcileResult | void> {
    let merchant = await api.get(parseKey(key));
    if (!merchant) return;
    if (merchant.metadata?.deletionTimestamp) {
      if (hasFinalizer(merchant, merchantFinalizer)) await cleanUp(merchant);
      return;
    }
    if (!hasFinalizer(merchant, merchantFinalizer)) {
      merchant = await api.replace(withFinalizer(merchant, merchantFinalizer));
    }
    try {
      const ensured = await merchants.ensureMerchant({
        externalRef: merchant.metadata?.uid ?? '',
        name: merchant.spec.displayName,
        email: merchant.spec.email,
      });
      if (
        ensured.name !== merchant.spec.displayName ||
        ensured.email !== merchant.spec.email.toLowerCase()
      ) {
        await merchants.updateMerchant(ensured.id, {
          name: merchant.spec.displayName,
          email: merchant.spec.email,
        });
      }
      const projects = await syncKeys(merchant, ensured.id);
      for (const removed of removedKeyIds(merchant.status?.projects, projects)) {
        await merchants.revokeApiKey(ensured.id, removed.projectId, removed.keyId);
      }
      const keyCount = projects.reduce((n, project) => n + (project.apiKeys?.length ?? 0), 0);
      await writeStatus(
        merchant,
        statusWith(
          merchant,
          {
            kind: 'ready',
            message: `Merchant ${ensured.id} with ${projects.length} project(s) and ${keyCount} key(s)`,
          },
          { merchantId: ensured.id, projects },
        ),
      );
      deps.onReconciled?.('success');
    } catch (error) {
      deps.onReconciled?.('error');
      const message = error instanceof Error ? error.message : String(error);
      try {
        await writeStatus(
          merchant,
          statusWith(merchant, { kind: 'degraded', reason: 'ReconcileFailed', message }, {}),
        );
      } catch (statusError) {
        logger.warn({ err: statusError }, 'could not write the Degraded status');
      }
      throw error;
    }
  };
}
