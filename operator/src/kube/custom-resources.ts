import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  resources,
  type Merchant,
  type ResourceKind,
  type Sandbox,
  type WebhookEndpoint,
} from '../api/v1alpha1/index.js';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';

export { resources, type ResourceKind };
export interface ResourceTypes {
  merchant: Merchant;
  webhookEndpoint: WebhookEndpoint;
  sandbox: Sandbox;
}

export interface ObjectKey {
  namespace: string;
  name: string;
}

export const keyOf = (key: ObjectKey) => `${key.namespace}/${key.name}`;

export function parseKey(key: string): ObjectKey {
  const [namespace = '', name = ''] = key.split('/');
  return { namespace, name };
}

/**
 * Typed get/list/replace of one custom resource kind. A controller passes the cache it reads
 * from as `writesTo`: every object this API writes is remembered there until the watch catches
 * up, so the next pass never acts on the state from before its own last write.
 */
export function customResourceApi<K extends ResourceKind>(
  kube: KubeClients,
  kind: K,
  options: { writesTo?: { remember(object: ResourceTypes[K]): void } } = {},
) {
  type T = ResourceTypes[K];
  const { group, version, plural } = resources[kind];
  const written = (object: unknown): T => {
    options.writesTo?.remember(object as T);
    return object as T;
  };
  /** The request that PUTs `object` (whole, or its status subresource) under its own name. */
  const putRequest = (object: T) => ({
    group,
    version,
    plural,
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
    body: object,
  });
  return {
    path(namespace?: string) {
      return namespace
        ? `/apis/${group}/${version}/namespaces/${namespace}/${plural}`
        : `/apis/${group}/${version}/${plural}`;
    },
    async list(
      namespace?: string,
    ): Promise<{ items: T[]; metadata?: { resourceVersion?: string } }> {
      const list: unknown = namespace
        ? await kube.custom.listNamespacedCustomObject({ group, version, plural, namespace })
        : await kube.custom.listCustomObjectForAllNamespaces({ group, version, plural });
      return list as { items: T[]; metadata?: { resourceVersion?: string } };
    },
    async get(key: ObjectKey): Promise<T | undefined> {
      try {
        const object: unknown = await kube.custom.getNamespacedCustomObject({
          group,
          version,
          plural,
          ...key,
        });
        return object as T;
      } catch (error) {
        if (isApiStatus(error, 404)) return undefined;
        throw error;
      }
    },
    /** PUT with the object's resourceVersion: a stale copy fails with 409 and is retried. */
    async replace(object: T): Promise<T> {
      const updated: unknown = await kube.custom.replaceNamespacedCustomObject(putRequest(object));
      return written(updated);
    },
    /**
     * Writes only the status, as a JSON merge patch of the status subresource: no
     * resourceVersion needed, and nothing but `.status` can change (spec edits made meanwhile
     * are kept). Lists in it (conditions, projects) are replaced whole.
     */
    async patchStatus(key: ObjectKey, status: NonNullable<T['status']>): Promise<T> {
      const updated: unknown = await kube.custom.patchNamespacedCustomObjectStatus(
        { group, version, plural, ...key, body: { status } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      return written(updated);
    },
    async replaceStatus(object: T): Promise<T> {
      const updated: unknown = await kube.custom.replaceNamespacedCustomObjectStatus(
        putRequest(object),
      );
      return written(updated);
    },
  };
}
export type CustomResourceApi<K extends ResourceKind> = ReturnType<typeof customResourceApi<K>>;
