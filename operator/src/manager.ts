import { hostname } from 'node:os';
import express from 'express';
import {
  createLogger,
  listen,
  identitySignerOf,
  startTelemetry,
  type Logger,
  type RunningServer,
} from '@expe/server-kit';
import { createMerchantsClient } from './clients/merchants-client.js';
import { createSandboxProjectsClient } from './clients/sandbox-projects-client.js';
import { createWebhooksClient } from './clients/webhooks-client.js';
import type { OperatorConfig } from './config.js';
import { createMerchantReconciler } from './controllers/merchant/reconciler.js';
import { watchMerchants } from './controllers/merchant/watches.js';
import {
  createReconcileMetrics,
  observeLeadership,
  observeWorkQueues,
} from './controllers/metrics.js';
import { createSandboxReconciler } from './controllers/sandbox/reconciler.js';
import { watchSandboxes } from './controllers/sandbox/watches.js';
import { createWebhookEndpointReconciler } from './controllers/webhookendpoint/reconciler.js';
import { watchWebhookEndpoints } from './controllers/webhookendpoint/watches.js';
import { WorkQueue } from './controllers/work-queue.js';
import { createKubeClients, type KubeClients } from './kube/client.js';
import { customResourceApi } from './kube/custom-resources.js';
import { createSharedInformers, objectKeyOf } from './kube/informers.js';
import { startLeaderElection } from './kube/leader-election.js';
import { isNamespaceTerminating } from './kube/namespaces.js';

export interface RunningOperator {
  url: string;
  port: number;
  identity: string;
  isLeader(): boolean;
  close(): Promise<void>;
}

export interface StartOperatorOptions {
  logger?: Logger;
  /** Serve /healthz and /metrics (off in tests that start several operators). Default true. */
  serveHttp?: boolean;
  /**
   * Called when this replica loses the Lease without being stopped (another replica took it, or
   * renewing failed for the renew deadline), after its controllers stopped. main.ts exits, as
   * controller-runtime does: a fresh process rejoins the election with empty caches and queues.
   */
  onLostLeadership?: () => void;
}

/**
 * One leadership term: shared informers (the cache every reconciler reads), a work queue per
 * controller fed by that controller's watches, and a periodic resync from the cache.
 */
function startControllers(
  kube: KubeClients,
  config: OperatorConfig,
  logger: Logger,
  meter: ReturnType<typeof startTelemetry>['meter'],
) {
  const signer = identitySignerOf('operator', config);
  const merchants = createMerchantsClient({ baseUrl: config.MERCHANTS_URL, signer });
  const webhooks = createWebhooksClient({ baseUrl: config.WEBHOOKS_URL, signer });
  const sandboxProjects = createSandboxProjectsClient({ baseUrl: config.MERCHANTS_URL, signer });
  const metrics = createReconcileMetrics(meter);
  const namespaces = config.WATCH_NAMESPACES.length > 0 ? config.WATCH_NAMESPACES : [undefined];
  const informers = createSharedInformers(kube, namespaces, logger);
  const cleanupTimeoutMs = config.CLEANUP_TIMEOUT_SECONDS * 1000;
  const onError = (kind: string) => (key: string, error: unknown, attempt: number) => {
    logger.warn({ err: error, kind, key, attempt }, 'reconcile failed; retrying with backoff');
  };

  const merchantController = createMerchantReconciler({
    kube,
    cache: informers.merchants,
    merchants,
    webhooks,
    endpointCache: informers.webhookEndpoints,
    logger,
    cleanupTimeoutMs,
  });
  const endpointController = createWebhookEndpointReconciler({
    kube,
    cache: informers.webhookEndpoints,
    merchantCache: informers.merchants,
    merchants,
    webhooks,
    logger,
    cleanupTimeoutMs,
  });
  const sandboxController = createSandboxReconciler({
    kube,
    cache: informers.sandboxes,
    merchantCache: informers.merchants,
    merchants,
    sandboxProjects,
    webhooks,
    logger,
    cleanupTimeoutMs,
    ...(config.GATEWAY_URL ? { gatewayUrl: config.GATEWAY_URL } : {}),
  });
  const merchantQueue = new WorkQueue(
    metrics.instrument('merchant', 'Merchant', merchantController.reconcile),
    { onError: onError('Merchant') },
  );
  const endpointQueue = new WorkQueue(
    metrics.instrument('webhookendpoint', 'WebhookEndpoint', endpointController.reconcile),
    { onError: onError('WebhookEndpoint') },
  );
  const sandboxQueue = new WorkQueue(
    metrics.instrument('sandbox', 'Sandbox', sandboxController.reconcile),
    { onError: onError('Sandbox') },
  );
  const stopObservingQueues = observeWorkQueues(meter, {
    merchant: merchantQueue,
    webhookendpoint: endpointQueue,
    sandbox: sandboxQueue,
  });
  watchMerchants(informers, merchantQueue);
  watchWebhookEndpoints(informers, endpointQueue);
  watchSandboxes(informers, sandboxQueue);

  // Drift repair does not wait for an edit: every cached object goes through reconcile again.
  const resync = setInterval(() => {
    for (const merchant of informers.merchants.list()) merchantQueue.add(objectKeyOf(merchant));
    for (const endpoint of informers.webhookEndpoints.list())
      endpointQueue.add(objectKeyOf(endpoint));
    for (const sandbox of informers.sandboxes.list()) sandboxQueue.add(objectKeyOf(sandbox));
  }, config.RESYNC_SECONDS * 1000);
  resync.unref();

  const started = informers.start();
  const stop = async () => {
    clearInterval(resync);
    stopObservingQueues();
    await started;
    await informers.stop();
    await Promise.all([merchantQueue.stop(), endpointQueue.stop(), sandboxQueue.stop()]);
  };
  return {
    stop,
    /**
     * The namespace is being deleted with the operator in it: Kubernetes deletes its Pods first
     * and the custom resources after, when no operator is left to run their finalizers. So the
     * controllers stop, and every Sandbox and WebhookEndpoint, then every Merchant there gets one cleanup
     * attempt (the Expe services drain for a few seconds) and loses its finalizer either way.
     */
    async releaseNamespace(namespace: string) {
      await stop();
      const reason = `Namespace ${namespace} is being deleted with the operator in it`;
      const release = async <T>(kind: string, items: T[], one: (item: T) => Promise<void>) => {
        for (const item of items) {
          const name = (item as { metadata?: { name?: string } }).metadata?.name;
          for (let attempt = 1; ; attempt++) {
            try {
              await one(item);
              break;
            } catch (error) {
              // A write conflict re-reads the object; anything else is not retried (no time).
              if (attempt >= 3) {
                logger.error({ err: error, kind, name }, 'could not release the finalizer');
                break;
              }
            }
          }
        }
      };
      const sandboxItems = (await customResourceApi(kube, 'sandbox').list(namespace)).items;
      await release('Sandbox', sandboxItems, (sandbox) =>
        sandboxController.release(sandbox, reason),
      );
      const endpoints = (await customResourceApi(kube, 'webhookEndpoint').list(namespace)).items;
      await release('WebhookEndpoint', endpoints, (endpoint) =>
        endpointController.release(endpoint, reason),
      );
      const merchantItems = (await customResourceApi(kube, 'merchant').list(namespace)).items;
      await release('Merchant', merchantItems, (merchant) =>
        merchantController.release(merchant, reason),
      );
      logger.info(
        {
          namespace,
          sandboxes: sandboxItems.length,
          webhookEndpoints: endpoints.length,
          merchants: merchantItems.length,
        },
        'released the resources of the namespace being deleted',
      );
    },
  };
}

/**
 * Starts the operator: /healthz and /metrics at once, the controllers only while this replica
 * holds the Lease.
 */
export async function startOperator(
  config: OperatorConfig,
  options: StartOperatorOptions = {},
): Promise<RunningOperator> {
  const logger = options.logger ?? createLogger({ name: 'operator', level: config.LOG_LEVEL });
  const telemetry = startTelemetry('operator');
  const kube = createKubeClients(config.KUBECONFIG, telemetry.meter);
  const identity =
    config.POD_NAME ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let controllers: ReturnType<typeof startControllers> | undefined;
  let isClosing = false;

  const election = startLeaderElection(kube, logger, {
    namespace: config.LEASE_NAMESPACE,
    name: config.LEASE_NAME,
    identity,
    ownerDeployment: config.LEASE_OWNER_DEPLOYMENT,
    leaseDurationSeconds: config.LEASE_DURATION_SECONDS,
    renewDeadlineSeconds: config.LEASE_RENEW_DEADLINE_SECONDS,
    retryPeriodSeconds: config.LEASE_RETRY_PERIOD_SECONDS,
    onStartedLeading: () => {
      controllers = startControllers(kube, config, logger, telemetry.meter);
    },
    onStoppedLeading: async () => {
      const running = controllers;
      controllers = undefined;
      await running?.stop();
      if (!isClosing) {
        logger.error({ identity }, 'leader election lost');
        options.onLostLeadership?.();
      }
    },
  });
  const stopObservingLeadership = observeLeadership(
    telemetry.meter,
    `${config.LEASE_NAMESPACE}/${config.LEASE_NAME}`,
    () => election.isLeader(),
  );

  let server: RunningServer | undefined;
  if (options.serveHttp ?? true) {
    const app = express();
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok', leader: election.isLeader() });
    });
    app.get('/metrics', telemetry.metricsHandler);
    server = await listen(app, { port: config.PORT, host: config.HOST });
  }

  return {
    url: server?.url ?? '',
    port: server?.port ?? 0,
    identity,
    isLeader: election.isLeader,
    async close() {
      isClosing = true;
      const own = config.POD_NAMESPACE ?? config.LEASE_NAMESPACE;
      const watchesOwn =
        config.WATCH_NAMESPACES.length === 0 || config.WATCH_NAMESPACES.includes(own);
      const running = controllers;
      if (running && watchesOwn && (await isNamespaceTerminating(kube, logger, own))) {
        try {
          await running.releaseNamespace(own);
        } catch (error) {
          logger.error({ err: error, namespace: own }, 'could not release the namespace');
        }
      }
      await election.stop();
      stopObservingLeadership();
      await server?.close();
    },
  };
}
