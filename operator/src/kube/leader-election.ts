import { V1MicroTime, type V1Lease, type V1OwnerReference } from '@kubernetes/client-node';
import type { Logger } from '@expe/server-kit';
import type { KubeClients } from './client.js';
import { isApiStatus } from './client.js';

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  /**
   * The Deployment the operator runs as: the Lease it creates is owned by it, so the Lease goes
   * with the release (garbage collection) instead of outliving `helm uninstall`.
   */
  ownerDeployment?: string;
  onStartedLeading: () => Promise<void> | void;
  onStoppedLeading: () => Promise<void> | void;
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, the way client-go does it: take the Lease
 * when it is free or expired, renew it every retry period, step down when renewing failed for
 * the renew deadline. Updates carry the resourceVersion, so two candidates never both win.
 */
export function startLeaderElection(
  kube: KubeClients,
  logger: Logger,
  options: LeaderElectionOptions,
) {
  let isLeader = false;
  let lastRenew = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let transition: Promise<void> = Promise.resolve();
  // The other holder's record as last seen, and when (local clock) it last changed: expiry is
  // judged from that, never by comparing the holder's renewTime with this machine's clock
  // (client-go's observedTime), so skewed clocks neither steal a live Lease nor keep a dead one.
  let observed: { record: string; at: number } | undefined;
  const { namespace, name, identity } = options;

  const setLeader = (value: boolean) => {
    if (value === isLeader) return;
    isLeader = value;
    logger.info(
      { lease: `${namespace}/${name}`, identity, isLeader: value },
      value ? 'became leader' : 'lost leadership',
    );
    const callback = value ? options.onStartedLeading : options.onStoppedLeading;
    transition = transition
      .then(() => callback())
      .catch((error: unknown) => {
        logger.error({ err: error }, 'leadership transition failed');
      });
  };

  const spec = (lease: V1Lease | undefined, now: Date) => {
    const isSameHolder = lease?.spec?.holderIdentity === identity;
    return {
      holderIdentity: identity,
      leaseDurationSeconds: options.leaseDurationSeconds,
      acquireTime:
        isSameHolder && lease?.spec?.acquireTime
          ? lease.spec.acquireTime
          : new V1MicroTime(now.getTime()),
      renewTime: new V1MicroTime(now.getTime()),
      leaseTransitions: (lease?.spec?.leaseTransitions ?? 0) + (isSameHolder ? 0 : 1),
    };
  };

  async function leaseOwner(): Promise<V1OwnerReference[] | undefined> {
    if (!options.ownerDeployment) return undefined;
    const deployment = await kube.apps.readNamespacedDeployment({
      name: options.ownerDeployment,
      namespace,
    });
    return [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: options.ownerDeployment,
        uid: deployment.metadata?.uid ?? '',
      },
    ];
  }

  async function tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    let lease: V1Lease | undefined;
    try {
      lease = await kube.coordination.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isApiStatus(error, 404)) throw error;
    }
    if (!lease) {
      try {
        const ownerReferences = await leaseOwner();
        await kube.coordination.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace, ...(ownerReferences ? { ownerReferences } : {}) },
            spec: { ...spec(undefined, now), leaseTransitions: 0 },
          },
        });
        return true;
      } catch (error) {
        if (isApiStatus(error, 409)) return false;
        throw error;
      }
    }
    const holder = lease.spec?.holderIdentity;
    const record = `${holder ?? ''}|${String(lease.spec?.renewTime ?? '')}|${lease.spec?.leaseTransitions ?? 0}`;
    if (observed?.record !== record) observed = { record, at: Date.now() };
    const duration = (lease.spec?.leaseDurationSeconds ?? options.leaseDurationSeconds) * 1000;
    const isFree = !holder || observed.at + duration < Date.now();
    if (holder !== identity && !isFree) return false;
    try {
      await kube.coordination.replaceNamespacedLease({
        name,
        namespace,
        body: { ...lease, spec: spec(lease, now) },
      });
      return true;
    } catch (error) {
      if (isApiStatus(error, 409)) return false;
      throw error;
    }
  }

  /** A Lease call that hangs must not outlast the renew deadline (client-go's request timeout). */
  const withinRenewDeadline = <T>(call: Promise<T>): Promise<T> => {
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timeout = setTimeout(
        () => reject(new Error('lease request timed out')),
        options.renewDeadlineSeconds * 1000,
      );
    });
    return Promise.race([call, expired]).finally(() => clearTimeout(timeout));
  };

  async function tick(): Promise<void> {
    try {
      const held = await withinRenewDeadline(tryAcquireOrRenew());
      if (stopped) return;
      if (held) {
        lastRenew = Date.now();
        setLeader(true);
      } else if (isLeader) {
        setLeader(false);
      }
    } catch (error) {
      logger.warn({ err: error }, 'lease renewal failed');
      if (isLeader && Date.now() - lastRenew > options.renewDeadlineSeconds * 1000)
        setLeader(false);
    }
    if (!stopped) timer = setTimeout(() => void tick(), options.retryPeriodSeconds * 1000);
  }

  void tick();

  return {
    isLeader: () => isLeader,
    /** Stops campaigning; a leader releases the Lease so another replica takes over at once. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      const wasLeader = isLeader;
      setLeader(false);
      await transition;
      if (!wasLeader) return;
      try {
        const lease = await kube.coordination.readNamespacedLease({ name, namespace });
        if (lease.spec?.holderIdentity !== identity) return;
        await kube.coordination.replaceNamespacedLease({
          name,
          namespace,
          body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } },
        });
      } catch (error) {
        logger.warn({ err: error }, 'could not release the lease');
      }
    },
  };
}
export type LeaderElection = ReturnType<typeof startLeaderElection>;
