import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * The objects a controller wrote and its watch has not delivered yet. An informer's copy lags
 * every write by a watch round trip, and a pass that starts in that gap would act on the state
 * from before its own last write: a Sandbox applied its fixtures a second time and reported the
 * second, empty application. `resolve` returns the newer of the watched copy and the written
 * one, and forgets the written one once the watch has caught up (or the object is gone).
 */
export function createWriteOverlay() {
  const written = new Map<string, KubernetesObject>();
  return {
    remember(id: string, object: KubernetesObject): void {
      written.set(id, object);
    },
    resolve(id: string, seen: KubernetesObject | undefined): KubernetesObject | undefined {
      const mine = written.get(id);
      if (!mine) return seen;
      if (seen && isOlder(seen, mine)) return mine;
      written.delete(id);
      return seen;
    },
  };
}

/**
 * Whether the watched copy is an older version than the written one. Resource versions are
 * etcd revisions, compared as numbers the way client-go's mutation cache compares them; when
 * either is not a number the watched copy wins.
 */
function isOlder(seen: KubernetesObject, written: KubernetesObject): boolean {
  const seenVersion = Number(seen.metadata?.resourceVersion);
  const writtenVersion = Number(written.metadata?.resourceVersion);
  return Number.isSafeInteger(seenVersion) && Number.isSafeInteger(writtenVersion)
    ? seenVersion < writtenVersion
    : false;
}
