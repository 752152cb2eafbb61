import { createHash } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import { applyScenario, parseScenario, ScenarioError } from '@expe/scenarios';
import type { Merchant, Sandbox, SandboxStatus } from '../../api/v1alpha1/index.js';
import type { Logger } from '@expe/server-kit';
import type { MerchantsClient } from '../../clients/merchants-client.js';
import type { SandboxProjectsClient } from '../../clients/sandbox-projects-client.js';
import type { EndpointOwner, WebhooksClient } from '../../clients/webhooks-client.js';
import type { KubeClients } from '../../kube/client.js';
import { customResourceApi, parseKey } from '../../kube/custom-resources.js';
import type { CacheView } from '../../kube/informers.js';
import { recordEvent } from '../../kube/events.js';
import { deleteOwnedSecretOnCleanup } from '../../kube/namespaces.js';
import {
  decodeSecretValue,
  describeHolder,
  isOwnedBy,
  readSecret,
  SecretConflictError,
  writeOwnedSecret,
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
import { endpointDrift, operatorKeyName } from '../webhookendpoint/reconciler.js';
import { ownerAnnotation } from '../webhookendpoint/registration.js';
import type { ReconcileResult } from '../work-queue.js';
import {
  endpointIdsAnnotation,
  expiresAtOf,
  hasEnded,
  keyIdAnnotation,
  newProjectName,
  parseEndpointIds,
  projectNameAnnotation,
  requeueUntilEnd,
  sandboxEndpointDescription,
  sandboxEnv,
  sandboxFinalizer,
  sandboxKeyName,
  secretNameOf,
  webhookSecretKey,
} from './desired.js';

const toTimestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface SandboxControllerDeps {
  kube: KubeClients;
  /** Informer caches: the Sandbox and the Merchant it names are read there. */
  cache: CacheView<Sandbox>;
  merchantCache: CacheView<Merchant>;
  merchants: MerchantsClient;
  sandboxProjects: SandboxProjectsClient;
  webhooks: WebhooksClient;
  logger: Logger;
  /** The gateway, through which spec.fixtures are applied with the sandbox's key. */
  gatewayUrl?: string;
  /** How soon to look again while the Merchant is missing or not ready (default 5 s). */
  waitForMerchantMs?: number;
  /** How long deletion retries its cleanup before it gives up (default 10 minutes). */
  cleanupTimeoutMs?: number;
  /** The same in a namespace that is being deleted (default 30 s). */
  terminatingNamespaceTimeoutMs?: number;
  now?: () => Date;
}

function readEndpointOwner(sandbox: Sandbox): EndpointOwner | undefined {
  const raw = sandbox.metadata?.annotations?.[ownerAnnotation];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as EndpointOwner;
  } catch {
    return undefined;
  }
}

/** The Secret's data as strings, or nothing when it is not this Sandbox's. */
function decodedData(secret: V1Secret | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.keys(secret?.data ?? {}).map((name) => [name, decodeSecretValue(secret!, name) ?? '']),
  );
}

const sameRecord = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * Reconciles one Sandbox: an ephemeral test-mode project of the Merchant it names (ending at
 * creation + ttl), its key and the signing secrets of its webhook endpoints in one Secret the
 * Sandbox owns, and the status. At its end the endpoints, the project and the Secret go and the
 * Sandbox stays, Ready=False with reason Expired; deleting it ends everything early.
 */
export function createSandboxReconciler(deps: SandboxControllerDeps) {
  const { kube, merchants, sandboxProjects, webhooks, logger } = deps;
  const api = customResourceApi(kube, 'sandbox', { writesTo: deps.cache });
  const now = deps.now ?? (() => new Date());
  const waitMs = deps.waitForMerchantMs ?? 5_000;
  const limits = {
    cleanupTimeoutMs: deps.cleanupTimeoutMs ?? 600_000,
    terminatingNamespaceTimeoutMs: deps.terminatingNamespaceTimeoutMs ?? 30_000,
  };

  const keyOfSandbox = (sandbox: Sandbox) => ({
    namespace: sandbox.metadata?.namespace ?? '',
    name: sandbox.metadata?.name ?? '',
  });

  /** Writes the status when it changed; returns the Sandbox as it now is. */
  async function writeStatus(
    sandbox: Sandbox,
    outcome: Outcome,
    fields: Partial<SandboxStatus>,
  ): Promise<Sandbox> {
    const status = nextStatus(sandbox, outcome, fields, now());
    if (JSON.stringify(status) === JSON.stringify(sandbox.status ?? {})) return sandbox;
    return api.patchStatus(keyOfSandbox(sandbox), status);
  }

  /**
   * Ends what the Sandbox made: its webhook endpoints (while the identity they are removed with
   * still works), its project (keys refused at once; payments archives its test data) and its
   * Secret. Each step is idempotent; what is gone already counts as done.
   */
  async function endEverything(sandbox: Sandbox): Promise<{ projectEnded: boolean }> {
    const owner = readEndpointOwner(sandbox);
    if (owner) {
      const known = new Map(
        (sandbox.status?.webhookEndpoints ?? []).map((entry) => [entry.name, entry.endpointId]),
      );
      for (const wanted of sandbox.spec.webhookEndpoints ?? []) {
        if (known.has(wanted.name)) continue;
        const found = await webhooks.findByDescription(
          owner,
          sandboxEndpointDescription(sandbox, wanted.name),
        );
        if (found) known.set(wanted.name, found.id);
      }
      for (const id of known.values()) await webhooks.delete(owner, id);
    }
    const merchantId = sandbox.status?.merchantId ?? owner?.merchantId;
    const projectId = sandbox.status?.projectId ?? owner?.projectId;
    const projectEnded =
      merchantId && projectId ? await sandboxProjects.end(merchantId, projectId) : false;
    await deleteOwnedSecretOnCleanup(
      kube,
      logger,
      { namespace: sandbox.metadata?.namespace ?? '', name: secretNameOf(sandbox) },
      ownerReferenceTo(sandbox),
    );
    return { projectEnded };
  }

  /** Deletion, bounded like the Merchant's: retried while Expe fails, then let go with an Event. */
  async function cleanUp(sandbox: Sandbox, finalReason?: string): Promise<void> {
    const projectId = sandbox.status?.projectId ?? readEndpointOwner(sandbox)?.projectId;
    const isForced = sandbox.metadata?.annotations?.[forceDeleteAnnotation] === 'true';
    if (isForced) {
      await recordEvent(kube, logger, sandbox, {
        type: 'Warning',
        reason: 'CleanupSkipped',
        message: `${forceDeleteAnnotation}=true: sandbox project ${projectId ?? '(none)'} was not ended; it ends at its expiresAt`,
      });
    } else {
      try {
        const { projectEnded } = await endEverything(sandbox);
        if (projectEnded) {
          await recordEvent(kube, logger, sandbox, {
            type: 'Normal',
            reason: 'SandboxEnded',
            message: `Sandbox deleted: ended project ${projectId}; its keys no longer work`,
          });
        }
      } catch (error) {
        await abandonCleanupOrRethrow(error, {
          kube,
          logger,
          resource: sandbox,
          limits,
          finalReason,
          noun: 'sandbox',
          logFields: { sandbox: sandbox.metadata?.name, projectId },
          leftBehind: `Sandbox project ${projectId ?? '(unknown)'} ends at its expiresAt (${sandbox.status?.expiresAt ?? 'unknown'})`,
        });
      }
    }
    await api.replace(withoutFinalizer(sandbox, sandboxFinalizer));
  }

  /** Deletion reads the object from the API, not the cache (see the Merchant's finalize). */
  async function finalize(sandbox: Sandbox, finalReason?: string): Promise<void> {
    const fresh = await api.get(keyOfSandbox(sandbox));
    if (fresh && hasFinalizer(fresh, sandboxFinalizer)) await cleanUp(fresh, finalReason);
  }

  const isExpiredAndCurrent = (sandbox: Sandbox) =>
    sandbox.status?.conditions?.some((c) => c.type === 'Ready' && c.reason === 'Expired') ===
      true && sandbox.status?.observedGeneration === sandbox.metadata?.generation;

  /**
   * The end has come: everything goes but the Sandbox itself, which stays as the record that it
   * ended (a GitOps tool or a pipeline re-applying it must not get a new sandbox silently).
   */
  async function expire(sandbox: Sandbox, expiresAt: Date): Promise<void> {
    if (isExpiredAndCurrent(sandbox)) return;
    await endEverything(sandbox);
    const message = `The sandbox ended at ${toTimestamp(expiresAt)} (ttl ${sandbox.spec.ttl}): its keys no longer work, its test data is archived and Secret ${secretNameOf(sandbox)} is deleted. Delete this Sandbox, or create another for a new sandbox`;
    await writeStatus(
      sandbox,
      { kind: 'ended', reason: 'Expired', message },
      { expiresAt: toTimestamp(expiresAt), webhookEndpoints: [] },
    );
    await recordEvent(kube, logger, sandbox, { type: 'Normal', reason: 'Expired', message });
  }

  /** The merchant's id, or why the sandbox waits (Progressing) or cannot be made (Degraded). */
  function resolveMerchant(
    sandbox: Sandbox,
  ):
    { merchantId: string } | { kind: 'progressing' | 'degraded'; reason: string; message: string } {
    const name = sandbox.spec.merchantRef.name;
    const merchant = deps.merchantCache.get({ namespace: sandbox.metadata?.namespace ?? '', name });
    if (!merchant || merchant.metadata?.deletionTimestamp) {
      return {
        kind: 'degraded',
        reason: 'MerchantNotFound',
        message: `Merchant ${name} does not exist in this namespace`,
      };
    }
    const merchantId = merchant.status?.merchantId;
    const isCurrent = merchant.status?.observedGeneration === merchant.metadata?.generation;
    if (!merchantId || !isReady(merchant.status?.conditions) || !isCurrent) {
      return {
        kind: 'progressing',
        reason: 'MerchantNotReady',
        message: `Waiting for Merchant ${name} to be Ready`,
      };
    }
    return { merchantId };
  }

  /** Adds the finalizer and the project name (once) before anything is created. */
  async function claim(sandbox: Sandbox, owner?: EndpointOwner): Promise<Sandbox> {
    const annotations = sandbox.metadata?.annotations ?? {};
    const projectName = annotations[projectNameAnnotation] ?? newProjectName(sandbox);
    const ownerValue = owner ? JSON.stringify(owner) : annotations[ownerAnnotation];
    if (
      hasFinalizer(sandbox, sandboxFinalizer) &&
      annotations[projectNameAnnotation] === projectName &&
      annotations[ownerAnnotation] === ownerValue
    ) {
      return sandbox;
    }
    const base = hasFinalizer(sandbox, sandboxFinalizer)
      ? sandbox
      : withFinalizer(sandbox, sandboxFinalizer);
    return api.replace({
      ...base,
      metadata: {
        ...base.metadata,
        annotations: {
          ...annotations,
          [projectNameAnnotation]: projectName,
          ...(ownerValue ? { [ownerAnnotation]: ownerValue } : {}),
        },
      },
    });
  }

  /**
   * The endpoints of spec.webhookEndpoints in the sandbox's project: registered once (adopted by
   * description after a crash), kept in line with the spec, their signing secrets in `data`;
   * endpoints removed from the spec are deleted. Returns the status entries.
   */
  async function syncEndpoints(
    sandbox: Sandbox,
    owner: EndpointOwner,
    data: Record<string, string>,
    storedIds: Record<string, string>,
  ) {
    const known = new Map(
      (sandbox.status?.webhookEndpoints ?? []).map((entry) => [entry.name, entry.endpointId]),
    );
    const ids: Record<string, string> = {};
    for (const wanted of sandbox.spec.webhookEndpoints ?? []) {
      const description = sandboxEndpointDescription(sandbox, wanted.name);
      const secretKey = webhookSecretKey(wanted.name);
      const knownId = known.get(wanted.name);
      let current = knownId ? await webhooks.get(owner, knownId) : undefined;
      current ??= await webhooks.findByDescription(owner, description);
      if (!current) {
        const created = await webhooks.create(owner, {
          url: wanted.url,
          enabledEvents: wanted.enabledEvents,
          description,
        });
        if (created.secret === undefined) throw new Error('create answered without a secret');
        data[secretKey] = created.secret;
        current = created;
        await recordEvent(kube, logger, sandbox, {
          type: 'Normal',
          reason: 'EndpointRegistered',
          message: `Registered webhook endpoint ${created.id} (${wanted.name}); its signing secret is ${secretKey}`,
        });
      } else if (!data[secretKey] || storedIds[wanted.name] !== current.id) {
        // A signing secret is shown only once, so a lost one is replaced by a new one.
        const rotated = await webhooks.rotateSecret(owner, current.id);
        if (rotated.secret === undefined)
          throw new Error('rotate_secret answered without a secret');
        data[secretKey] = rotated.secret;
        await recordEvent(kube, logger, sandbox, {
          type: 'Warning',
          reason: 'SigningSecretReissued',
          message: `${secretKey} was missing or stale; rotated the signing secret of ${current.id}`,
        });
      }
      const drift = endpointDrift({ spec: wanted }, current);
      if (drift) await webhooks.update(owner, current.id, drift);
      ids[wanted.name] = current.id;
    }
    const wantedNames = new Set(Object.keys(ids));
    for (const [name, id] of known) {
      if (wantedNames.has(name)) continue;
      await webhooks.delete(owner, id);
      delete data[webhookSecretKey(name)];
      await recordEvent(kube, logger, sandbox, {
        type: 'Normal',
        reason: 'EndpointRemoved',
        message: `Webhook endpoint ${name} is no longer in the spec: deleted ${id} and ${webhookSecretKey(name)}`,
      });
    }
    return ids;
  }

  /**
   * spec.fixtures, applied with the sandbox's key through the gateway once per content and
   * project (the digest in status.fixtures). Every step is idempotent, so a pass cut short and
   * retried creates nothing twice. A bad scenario or a step that fails is an outcome to report,
   * not an exception: the status says which step and why.
   */
  async function applyFixtures(
    sandbox: Sandbox,
    projectId: string,
    secretKey: string,
  ): Promise<
    | { fixtures: NonNullable<SandboxStatus['fixtures']> }
    | { failed: { reason: string; message: string; retryMs?: number } }
  > {
    const spec = sandbox.spec.fixtures ?? {};
    const digest = createHash('sha256')
      .update(`${projectId}\0${JSON.stringify(spec)}`)
      .digest('hex');
    const applied = sandbox.status?.fixtures;
    if (applied?.digest === digest) return { fixtures: applied };
    if (!deps.gatewayUrl) {
      return {
        failed: {
          reason: 'FixturesUnavailable',
          message:
            'spec.fixtures needs the operator to reach the gateway: set GATEWAY_URL (the chart: gateway.url or platform.releaseName)',
        },
      };
    }
    let scenario;
    try {
      scenario = parseScenario(spec, { source: 'spec.fixtures' });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      return { failed: { reason: 'FixturesInvalid', message: error.message } };
    }
    try {
      const result = await applyScenario(scenario, { baseUrl: deps.gatewayUrl, secretKey });
      const created = result.steps.filter((step) => step.outcome === 'created').length;
      await recordEvent(kube, logger, sandbox, {
        type: 'Normal',
        reason: 'FixturesApplied',
        message: `Applied scenario ${result.scenario}: ${result.steps.length} step(s), ${created} created, ${result.steps.length - created} already there`,
      });
      return {
        fixtures: {
          scenario: result.scenario,
          digest,
          steps: result.steps.length,
          created,
          appliedAt: toTimestamp(now()),
        },
      };
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      return { failed: { reason: 'FixturesFailed', message: error.message, retryMs: 30_000 } };
    }
  }

  async function reconcileSandbox(key: string): Promise<ReconcileResult | void> {
    let sandbox = deps.cache.get(parseKey(key));
    if (!sandbox) return;
    if (sandbox.metadata?.deletionTimestamp) {
      if (hasFinalizer(sandbox, sandboxFinalizer)) await finalize(sandbox);
      return;
    }
    const expiresAt = expiresAtOf(sandbox);
    if (!expiresAt) {
      await writeStatus(
        sandbox,
        {
          kind: 'degraded',
          reason: 'InvalidTTL',
          message: `ttl ${sandbox.spec.ttl} is not a duration such as 15m or 1h30m`,
        },
        {},
      );
      return;
    }
    try {
      if (hasEnded(expiresAt, now())) {
        await expire(sandbox, expiresAt);
        return;
      }
      const merchant = resolveMerchant(sandbox);
      if (!('merchantId' in merchant)) {
        await writeStatus(
          sandbox,
          { kind: merchant.kind, reason: merchant.reason, message: merchant.message },
          { expiresAt: toTimestamp(expiresAt) },
        );
        return { requeueAfterMs: Math.min(waitMs, requeueUntilEnd(expiresAt, now())) };
      }
      const { merchantId } = merchant;
      sandbox = await claim(sandbox);
      const projectName = sandbox.metadata?.annotations?.[projectNameAnnotation] ?? '';
      const project = await sandboxProjects.ensure(merchantId, { name: projectName, expiresAt });
      const projectEnds = project.expires_at ? new Date(project.expires_at * 1000) : expiresAt;
      if (sandbox.status?.projectId !== project.id) {
        await recordEvent(kube, logger, sandbox, {
          type: 'Normal',
          reason: 'SandboxCreated',
          message: `Sandbox project ${project.id} of merchant ${merchantId}, ending at ${toTimestamp(projectEnds)}`,
        });
        // Recorded before keys and endpoints: a pass cut short still knows what to end.
        sandbox = await writeStatus(
          sandbox,
          {
            kind: 'progressing',
            reason: 'Provisioning',
            message: `Issuing the keys of sandbox project ${project.id}`,
          },
          { merchantId, projectId: project.id, expiresAt: toTimestamp(projectEnds) },
        );
      }

      const secretName = secretNameOf(sandbox);
      const secretRef = { namespace: sandbox.metadata?.namespace ?? '', name: secretName };
      const owner = ownerReferenceTo(sandbox);
      const stored = await readSecret(kube, secretRef);
      if (stored && !isOwnedBy(stored, owner)) {
        throw new SecretConflictError(secretName, describeHolder(stored));
      }
      const data = decodedData(stored);
      const before = { ...data };
      const storedKeyId = stored?.metadata?.annotations?.[keyIdAnnotation];
      const issued = await merchants.ensureApiKey(merchantId, project.id, {
        name: sandboxKeyName,
        mode: 'test',
      });
      let keyId = issued.id;
      let keyEvent: { type: 'Normal' | 'Warning'; reason: string; message: string } | undefined;
      if (issued.secret !== undefined && issued.publishable !== undefined) {
        data[sandboxEnv.apiKey] = issued.secret;
        data[sandboxEnv.publishableKey] = issued.publishable;
        keyEvent = {
          type: 'Normal',
          reason: 'KeyIssued',
          message: `Issued test key ${issued.id} into Secret ${secretName}`,
        };
      } else if (storedKeyId !== issued.id || !data[sandboxEnv.apiKey]) {
        // The key's secret cannot be read back, so a lost Secret means a new key.
        const reissued = await merchants.reissueApiKey(merchantId, project.id, issued.id);
        if (reissued.secret === undefined) throw new Error('reissue answered without a secret');
        data[sandboxEnv.apiKey] = reissued.secret;
        data[sandboxEnv.publishableKey] = reissued.publishable;
        keyId = reissued.id;
        keyEvent = {
          type: 'Warning',
          reason: 'KeyReissued',
          message: `Secret ${secretName} was missing or stale; revoked ${issued.id} and issued ${reissued.id}`,
        };
      }

      let endpointIds: Record<string, string> = {};
      const hasEndpoints =
        (sandbox.spec.webhookEndpoints?.length ?? 0) > 0 ||
        (sandbox.status?.webhookEndpoints?.length ?? 0) > 0;
      if (hasEndpoints) {
        // The webhooks service scopes endpoints by API key identity; a dedicated key gives one.
        const operatorKey = await merchants.ensureApiKey(merchantId, project.id, {
          name: operatorKeyName,
          mode: 'test',
        });
        const endpointOwner: EndpointOwner = {
          keyId: operatorKey.id,
          merchantId,
          projectId: project.id,
          mode: 'test',
        };
        sandbox = await claim(sandbox, endpointOwner);
        endpointIds = await syncEndpoints(
          sandbox,
          endpointOwner,
          data,
          parseEndpointIds(stored?.metadata?.annotations?.[endpointIdsAnnotation]),
        );
      }
      data[sandboxEnv.projectId] = project.id;
      data[sandboxEnv.expiresAt] = toTimestamp(projectEnds);
      data[sandboxEnv.merchantId] = merchantId;
      const annotations = {
        [keyIdAnnotation]: keyId,
        [endpointIdsAnnotation]: JSON.stringify(endpointIds),
      };
      const sameAnnotations =
        stored?.metadata?.annotations?.[keyIdAnnotation] === annotations[keyIdAnnotation] &&
        stored?.metadata?.annotations?.[endpointIdsAnnotation] ===
          annotations[endpointIdsAnnotation];
      // Written only when something changed: a write would wake this controller again.
      if (!stored || !sameRecord(before, data) || !sameAnnotations) {
        await writeOwnedSecret(kube, { key: secretRef, owner, data, annotations });
      }
      if (keyEvent) await recordEvent(kube, logger, sandbox, keyEvent);
      const baseStatus = {
        merchantId,
        projectId: project.id,
        expiresAt: toTimestamp(projectEnds),
        secretName,
        webhookEndpoints: Object.entries(endpointIds).map(([name, endpointId]) => ({
          name,
          endpointId,
        })),
      };
      let fixtures: SandboxStatus['fixtures'];
      if (sandbox.spec.fixtures) {
        const outcome = await applyFixtures(sandbox, project.id, data[sandboxEnv.apiKey] ?? '');
        if ('failed' in outcome) {
          const { reason, message, retryMs } = outcome.failed;
          await recordEvent(kube, logger, sandbox, { type: 'Warning', reason, message });
          await writeStatus(sandbox, { kind: 'degraded', reason, message }, baseStatus);
          return retryMs === undefined
            ? { requeueAfterMs: requeueUntilEnd(projectEnds, now()) }
            : { requeueAfterMs: Math.min(retryMs, requeueUntilEnd(projectEnds, now())) };
        }
        fixtures = outcome.fixtures;
      }
      const endpointCount = Object.keys(endpointIds).length;
      await writeStatus(
        sandbox,
        {
          kind: 'ready',
          message: `Sandbox project ${project.id} until ${toTimestamp(projectEnds)}: key in Secret ${secretName}${endpointCount > 0 ? ` with ${endpointCount} webhook signing secret(s)` : ''}${fixtures ? `; scenario ${fixtures.scenario} applied` : ''}`,
        },
        { ...baseStatus, ...(fixtures ? { fixtures } : {}) },
      );
      return { requeueAfterMs: requeueUntilEnd(projectEnds, now()) };
    } catch (error) {
      const failed = sandbox;
      return settleFailedReconcile(error, {
        kube,
        logger,
        resource: failed,
        writeStatus: (outcome) => writeStatus(failed, outcome, {}),
        conflictRetryMs: Math.min(30_000, requeueUntilEnd(expiresAt, now())),
      });
    }
  }

  return {
    reconcile: reconcileSandbox,
    /** One cleanup attempt, then the finalizer goes whatever happened (see the Merchant's). */
    release: (sandbox: Sandbox, reason: string) => finalize(sandbox, reason),
  };
}
