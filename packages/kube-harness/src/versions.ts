/**
 * The pinned tool versions. Kubernetes staging modules (`k8s.io/api`, `k8s.io/apiserver`, …) are
 * published as `v0.<minor>.<patch>` of the same release, which is what the wrapper module
 * replaces them with. etcd stays on 3.5 by design; kube-apiserver 1.34 supports it.
 */
export const toolVersions = {
  kubernetes: 'v1.34.4',
  etcd: 'v3.5.35',
  helm: 'v3.19.5',
  coredns: 'v1.14.7',
} as const;

/** Commands of k8s.io/kubernetes, all compiled by one `go build` (they share most packages). */
export const kubernetesCommands = [
  'kube-apiserver',
  'kubectl',
  'kubelet',
  'kube-scheduler',
  'kube-controller-manager',
  'kube-proxy',
] as const;

export type KubernetesCommand = (typeof kubernetesCommands)[number];

export type ToolName = KubernetesCommand | 'etcd' | 'helm' | 'coredns';

export const toolNames: readonly ToolName[] = [...kubernetesCommands, 'etcd', 'helm', 'coredns'];

/**
 * Who needs which tools. `tests`: the throwaway control plane of the operator tests (etcd,
 * kube-apiserver, kubectl) and chart rendering (helm), which `npm test` needs. `cluster`: all of
 * them, for the one-node cluster of `npm run cluster:up`, which also runs the node's commands
 * and CoreDNS. Building `tests` first lets CI build the rest while `npm test` runs.
 */
export const toolSets = {
  tests: ['etcd', 'kube-apiserver', 'kubectl', 'helm'],
  cluster: toolNames,
} as const satisfies Record<string, readonly ToolName[]>;

export type ToolSet = keyof typeof toolSets;

/** `v1.34.4` → `v0.34.4`: the tag every Kubernetes staging module carries for that release. */
export function stagingVersion(kubernetesVersion: string): string {
  const match = /^v1\.(\d+)\.(\d+)$/.exec(kubernetesVersion);
  if (!match) throw new Error(`not a Kubernetes release version: ${kubernetesVersion}`);
  return `v0.${match[1]}.${match[2]}`;
}

/** One directory per version set, so bumping a pin never reuses binaries of another. */
export function versionKey(versions: typeof toolVersions = toolVersions): string {
  return `kubernetes-${versions.kubernetes}_etcd-${versions.etcd}_helm-${versions.helm}_coredns-${versions.coredns}`;
}
