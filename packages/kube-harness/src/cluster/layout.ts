import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Addresses of the one-node cluster. The node lives in its own network namespace whose only
 * links are `lo`, the CNI bridge and one /30 veth to the host, and which has no default route:
 * nothing in it can reach beyond this machine, whatever is misconfigured.
 */
export const clusterNetwork = {
  /** `/run/netns/<name>`; machine-wide, so one cluster per machine at a time. */
  namespace: 'expe-cluster',
  /** The host's end of the /30 veth. */
  hostInterface: 'expe-veth0',
  hostAddress: '10.255.255.1',
  /** The node's end (named eth0 inside): the node IP, where the API server listens. */
  nodeInterface: 'eth0',
  nodeAddress: '10.255.255.2',
  linkPrefixLength: 30,
  podCidr: '10.244.0.0/24',
  clusterCidr: '10.244.0.0/16',
  serviceCidr: '10.96.0.0/16',
  /** The `kubernetes` Service: first address of the service range. */
  apiServiceAddress: '10.96.0.1',
  dnsServiceAddress: '10.96.0.10',
  apiServerPort: 6443,
  etcdPort: 2379,
  nodeName: 'expe-node',
  clusterDomain: 'cluster.local',
} as const;

/**
 * Directories the kubelet, containerd and CNI write outside their configurable roots. The node
 * daemons share one private mount namespace with a tmpfs over each, so nothing lands on the host
 * and every mount disappears with the processes (shared/kubernetes-node.md).
 */
export const privateMountPaths = [
  '/var/lib/kubelet',
  '/var/log/pods',
  '/var/log/containers',
  '/var/lib/cni',
  '/opt/containerd',
  '/run/containerd',
  '/usr/libexec/kubernetes',
] as const;

/** Host-wide sysctls the kubelet rewrites; recorded before start and restored at teardown. */
export const kubeletSysctls = [
  'vm.overcommit_memory',
  'kernel.panic',
  'kernel.panic_on_oops',
] as const;

export interface ClusterPaths {
  /** Everything the running cluster writes (removed by `cluster:down`). */
  root: string;
  pki: string;
  logs: string;
  config: string;
  kubeconfig: string;
  etcdData: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  kubeletRoot: string;
  cniConfig: string;
  cniData: string;
  volumes: string;
  /** Process id of the supervisor that owns the node's daemons. */
  supervisorPid: string;
  /** Written by the supervisor once every daemon answers. */
  readyFile: string;
  /** The values of `kubeletSysctls` before the cluster started. */
  sysctlRecord: string;
  /** Mount points that did not exist on the host and were made for the tmpfs mounts. */
  createdMountPoints: string;
}

/** `$EXPE_CLUSTER_DIR`, else `/var/lib/expe-cluster` (the node needs root anyway). */
export function clusterPaths(
  root = process.env.EXPE_CLUSTER_DIR ?? '/var/lib/expe-cluster',
): ClusterPaths {
  return {
    root,
    pki: join(root, 'pki'),
    logs: join(root, 'logs'),
    config: join(root, 'config'),
    kubeconfig: join(root, 'kubeconfig'),
    etcdData: join(root, 'etcd'),
    containerdRoot: join(root, 'containerd', 'root'),
    containerdState: join(root, 'containerd', 'state'),
    containerdSocket: join(root, 'containerd', 'containerd.sock'),
    kubeletRoot: join(root, 'kubelet'),
    cniConfig: join(root, 'cni', 'net.d'),
    cniData: join(root, 'cni', 'data'),
    volumes: join(root, 'volumes'),
    supervisorPid: join(root, 'supervisor.pid'),
    readyFile: join(root, 'supervisor.ready'),
    sysctlRecord: join(root, 'sysctls.json'),
    createdMountPoints: join(root, 'created-mount-points.json'),
  };
}

/** Built images, cached by content hash outside git: `$EXPE_IMAGES_DIR` or ~/.cache/expe-images. */
export function imagesDirectory(): string {
  return process.env.EXPE_IMAGES_DIR ?? join(homedir(), '.cache', 'expe-images');
}
