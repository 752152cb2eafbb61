import { hostname } from 'node:os';
import express from 'express';
import {
  makeInformer,
  type Informer,
  type KubernetesObject,
  type V1Secret,
} from '@kubernetes/client-node';
import type { Merchant, WebhookEndpoint } from '@expe/kube-harness';
import {
  createLogger,
  listen,
  startTelemetry,
  type Logger,
  type RunningServer,
} from '@expe/server-kit';
import { createMerchantsClient } from './api/merchants-client.js';
import { createWebhooksClient } from './api/webhooks-client.js';
import type { OperatorConfig } from './config.js';
import { createMerchantController } from './controllers/merchant-controller.js';
import { createWebhookEndpointController } from './controllers/webhook-endpoint-controller.js';
import { WorkQueue } from './controllers/work-queue.js';
import { createKubeClients, type KubeClients } from './kube/client.js';
import { customResourceApi, keyOf } from './kube/custom-resources.js';
import { startLeaderElection } from './kube/leader-election.js';
import { managedBySelector } from './kube/secrets.js';

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
}

const objectKey = (object: { metadata?: { namespace?: string; name?: string } }) =>
  keyOf({ namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' });

/** Informers, queues and resync of one leadership term. */
function startControllers(
  kube: KubeClients,
  config: OperatorConfig,
  logger: Logger,
  meter: ReturnType<typeof startTelemetry>['meter'],
) {
  const secret = config.INTERNAL_AUTH_SECRET;
  const merchants = createMerchantsClient({ baseUrl: config.MERCHANTS_URL, secret });
  const webhooks = createWebhooksClient({ baseUrl: config.WEBHOOKS_URL, secret });
  const reconciles = meter.createCounter('operator_reconcile_total', {
    description: 'Reconciles by kind and result',
  });
  const onError = (kind: string) => (key: string, error: unknown, attempt: number) => {
    reconciles.add(1, { kind, result: 'error' });
    logger.warn({ err: error, kind, key, attempt }, 'reconcile failed; retrying with backoff');
  };
  const cleanupTimeoutMs = config.CLEANUP_TIMEOUT_SECONDS * 1000;
  const reconcileMerchant = createMerchantController({ kube, merchants, logger, cleanupTimeoutMs });
  const reconcileEndpoint = createWebhookEndpointController({
    kube,
    merchants,
    webhooks,
    logger,
    cleanupTimeoutMs,
  });
  const merchantQueue = new WorkQueue(
    async (key) => {
      const result = await reconcileMerchant(key);
      reconciles.add(1, { kind: 'Merchant', result: 'success' });
      return result;
    },
    { onError: onError('Merchant') },
  );
  const endpointQueue = new WorkQueue(
    async (key) => {
      const result = await reconcileEndpoint(key);
      reconciles.add(1, { kind: 'WebhookEndpoint', result: 'success' });
      return result;
    },
    { onError: onError('WebhookEndpoint') },
  );

  const namespaces = config.WATCH_NAMESPACES.length > 0 ? config.WATCH_NAMESPACES : [undefined];
  const merchantApi = customResourceApi(kube, 'merchant');
  const endpointApi = customResourceApi(kube, 'webhookEndpoint');
  const informers: Informer<KubernetesObject>[] = [];
  const endpointInformers: { list(namespace?: string): readonly KubernetesObject[] }[] = [];

  let stopped = false;
  // client-node informers stop on a failed list or watch; they are restarted until we stop.
  const start = (informer: Informer<KubernetesObject>, label: string): Promise<void> =>
    informer.start().catch((error: unknown) => {
      logger.warn({ err: error, informer: label }, 'informer failed to start; retrying');
      restartLater(informer, label);
    });
  const restartLater = (informer: Informer<KubernetesObject>, label: string) => {
    if (stopped) return;
    setTimeout(() => {
      if (!stopped) void start(informer, label);
    }, 2_000).unref();
  };
  const labels = new Map<Informer<KubernetesObject>, string>();

  // Informers hand over the JSON of the watch events, which is what the CRD types describe.
  const watch = (
    informer: Informer<KubernetesObject>,
    onChange: (object: KubernetesObject) => void,
    label: string,
  ) => {
    informer.on('add', onChange);
    informer.on('update', onChange);
    informer.on('delete', onChange);
    informer.on('error', (error: unknown) => {
      logger.warn({ err: error, informer: label }, 'watch failed; restarting');
      restartLater(informer, label);
    });
    informers.push(informer);
    labels.set(informer, label);
  };

  const enqueueEndpointsOf = (merchant: Merchant) => {
    for (const informer of endpointInformers) {
      for (const object of informer.list(merchant.metadata?.namespace)) {
        const endpoint = object as unknown as WebhookEndpoint;
        if (endpoint.spec.merchantRef.name === merchant.metadata?.name)
          endpointQueue.add(objectKey(endpoint));
      }
    }
  };

  for (const namespace of namespaces) {
    const merchantInformer = makeInformer<KubernetesObject>(
      kube.config,
      merchantApi.path(namespace),
      () => merchantApi.list(namespace) as never,
    );
    watch(
      merchantInformer,
      (merchant) => {
        merchantQueue.add(objectKey(merchant));
        enqueueEndpointsOf(merchant as unknown as Merchant);
      },
      'merchants',
    );
    const endpointInformer = makeInformer<KubernetesObject>(
      kube.config,
      endpointApi.path(namespace),
      () => endpointApi.list(namespace) as never,
    );
    endpointInformers.push(endpointInformer);
    watch(
      endpointInformer,
      (endpoint) => endpointQueue.add(objectKey(endpoint)),
      'webhookendpoints',
    );
    const secretPath = namespace ? `/api/v1/namespaces/${namespace}/secrets` : '/api/v1/secrets';
    const secretInformer = makeInformer<KubernetesObject>(
      kube.config,
      secretPath,
      () =>
        namespace
          ? kube.core.listNamespacedSecret({ namespace, labelSelector: managedBySelector })
          : kube.core.listSecretForAllNamespaces({ labelSelector: managedBySelector }),
      managedBySelector,
    );
    // A changed or deleted Secret sends its owner through reconcile: that is the drift repair.
    watch(
      secretInformer,
      (object) => {
        const secretObject = object as V1Secret;
        for (const owner of secretObject.metadata?.ownerReferences ?? []) {
          const key = keyOf({
            namespace: secretObject.metadata?.namespace ?? '',
            name: owner.name,
          });
          if (owner.kind === 'Merchant') merchantQueue.add(key);
          if (owner.kind === 'WebhookEndpoint') endpointQueue.add(key);
        }
      },
      'secrets',
    );
  }

  const resyncAll = async () => {
    for (const namespace of namespaces) {
      for (const merchant of (await merchantApi.list(namespace)).items)
        merchantQueue.add(objectKey(merchant));
      for (const endpoint of (await endpointApi.list(namespace)).items)
        endpointQueue.add(objectKey(endpoint));
    }
  };
  const resync = setInterval(() => {
    resyncAll().catch((error: unknown) => logger.warn({ err: error }, 'resync failed'));
  }, config.RESYNC_SECONDS * 1000);
  resync.unref();

  const started = Promise.all(
    informers.map((informer) => start(informer, labels.get(informer) ?? 'informer')),
  );

  return {
    async stop() {
      stopped = true;
      clearInterval(resync);
      await started;
      await Promise.all(informers.map((informer) => informer.stop()));
      await Promise.all([merchantQueue.stop(), endpointQueue.stop()]);
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
  const kube = createKubeClients(config.KUBECONFIG);
  const identity =
    config.POD_NAME ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let controllers: ReturnType<typeof startControllers> | undefined;

  const election = startLeaderElection(kube, logger, {
    namespace: config.LEASE_NAMESPACE,
    name: config.LEASE_NAME,
    identity,
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
    },
  });

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
      await election.stop();
      await server?.close();
    },
  };
}
