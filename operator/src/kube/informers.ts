import {
  makeInformer,
  type Informer,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { Logger } from '@expe/server-kit';
import type { Merchant, Sandbox, WebhookEndpoint } from '../api/v1alpha1/index.js';
import type { KubeClients } from './client.js';
import { customResourceApi, keyOf, type ObjectKey } from './custom-resources.js';
import { managedBySelector } from './secrets.js';
import { createRestartBackoff } from './restart-backoff.js';
import { createWriteOverlay } from './write-overlay.js';

type Handler<T> = (object: T) => void;

/** One kind's cache across the watched namespaces: what the reconcilers read instead of GETs. */
export interface CacheView<T> {
  get(key: ObjectKey): T | undefined;
  list(namespace?: string): T[];
  /** Called on add, update and delete (the object as last seen). */
  onChange(handler: Handler<T>): void;
  /**
   * Remembers an object this operator just wrote, so that `get` returns it until the watch
   * delivers that version or a newer one (see write-overlay.ts). `list` reads the watch only.
   */
  remember(object: T): void;
}

/** The informers one leadership term shares between the controllers. */
export interface SharedInformers {
  merchants: CacheView<Merchant>;
  webhookEndpoints: CacheView<WebhookEndpoint>;
  sandboxes: CacheView<Sandbox>;
  /** Only the Secrets the operator labelled as its own (app.kubernetes.io/managed-by). */
  secrets: CacheView<KubernetesObject>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

type Watched = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

export const objectKeyOf = (object: { metadata?: { namespace?: string; name?: string } }) =>
  keyOf({ namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' });

/**
 * List-watch caches of Merchants, WebhookEndpoints, Sandboxes and the operator's Secrets, one informer per
 * watched namespace (or one for all). A failed list or watch stops a client-node informer, so it
 * is restarted until `stop()`.
 */
export function createSharedInformers(
  kube: KubeClients,
  namespaces: readonly (string | undefined)[],
  logger: Logger,
): SharedInformers {
  let isStopped = false;
  const all: { informer: Watched; label: string }[] = [];

  const backoffs = new Map<Watched, ReturnType<typeof createRestartBackoff>>();
  const backoffOf = (informer: Watched) => {
    let backoff = backoffs.get(informer);
    if (!backoff) {
      backoff = createRestartBackoff();
      backoffs.set(informer, backoff);
    }
    return backoff;
  };
  const start = (informer: Watched, label: string): Promise<void> =>
    informer.start().catch((error: unknown) => {
      logger.warn({ err: error, informer: label }, 'informer failed to start; retrying');
      restartLater(informer, label);
    });
  const restartLater = (informer: Watched, label: string) => {
    if (isStopped) return;
    setTimeout(() => {
      if (!isStopped) void start(informer, label);
    }, backoffOf(informer).next()).unref();
  };

  function view<T>(label: string, make: (namespace: string | undefined) => Watched): CacheView<T> {
    const byNamespace = new Map<string | undefined, Watched>();
    for (const namespace of namespaces) {
      const informer = make(namespace);
      informer.on('error', (error: unknown) => {
        const failures = backoffOf(informer).failures;
        logger.warn(
          { err: error, informer: label, namespace, failures },
          'watch failed; restarting',
        );
        restartLater(informer, label);
      });
      // Anything delivered proves the watch works again: the next failure waits the shortest time.
      for (const verb of ['add', 'update', 'delete'] as const) {
        informer.on(verb, () => backoffOf(informer).reset());
      }
      byNamespace.set(namespace, informer);
      all.push({ informer, label });
    }
    const informerFor = (namespace: string) =>
      byNamespace.get(namespace) ?? byNamespace.get(undefined);
    const writes = createWriteOverlay();
    return {
      get(key) {
        const seen = informerFor(key.namespace)?.get(key.name, key.namespace);
        return writes.resolve(keyOf(key), seen) as T | undefined;
      },
      list(namespace) {
        const informers = namespace
          ? [informerFor(namespace)].filter((i): i is Watched => i !== undefined)
          : [...byNamespace.values()];
        return informers.flatMap((informer) => informer.list(namespace) as unknown as T[]);
      },
      onChange(handler) {
        for (const informer of byNamespace.values()) {
          const forward = (object: KubernetesObject) => handler(object as unknown as T);
          informer.on('add', forward);
          informer.on('update', forward);
          informer.on('delete', forward);
        }
      },
      remember(object) {
        const copy = object as unknown as KubernetesObject;
        writes.remember(objectKeyOf(copy), copy);
      },
    };
  }

  const merchantApi = customResourceApi(kube, 'merchant');
  const endpointApi = customResourceApi(kube, 'webhookEndpoint');
  const merchants = view<Merchant>('merchants', (namespace) =>
    makeInformer<KubernetesObject>(
      kube.config,
      merchantApi.path(namespace),
      () => merchantApi.list(namespace) as never,
    ),
  );
  const webhookEndpoints = view<WebhookEndpoint>('webhookendpoints', (namespace) =>
    makeInformer<KubernetesObject>(
      kube.config,
      endpointApi.path(namespace),
      () => endpointApi.list(namespace) as never,
    ),
  );
  const sandboxApi = customResourceApi(kube, 'sandbox');
  const sandboxes = view<Sandbox>('sandboxes', (namespace) =>
    makeInformer<KubernetesObject>(
      kube.config,
      sandboxApi.path(namespace),
      () => sandboxApi.list(namespace) as never,
    ),
  );
  const secrets = view<KubernetesObject>('secrets', (namespace) =>
    makeInformer<KubernetesObject>(
      kube.config,
      namespace ? `/api/v1/namespaces/${namespace}/secrets` : '/api/v1/secrets',
      () =>
        namespace
          ? kube.core.listNamespacedSecret({ namespace, labelSelector: managedBySelector })
          : kube.core.listSecretForAllNamespaces({ labelSelector: managedBySelector }),
      managedBySelector,
    ),
  );

  let started: Promise<unknown> | undefined;
  return {
    merchants,
    webhookEndpoints,
    sandboxes,
    secrets,
    async start() {
      started = Promise.all(all.map(({ informer, label }) => start(informer, label)));
      await started;
    },
    async stop() {
      isStopped = true;
      await started;
      await Promise.all(all.map(({ informer }) => informer.stop()));
    },
  };
}
