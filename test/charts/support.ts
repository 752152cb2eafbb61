import { constants } from 'node:fs';
import { access, cp, mkdtemp, rm } from 'node:fs/promises';
import { BlockList, isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuthConfig } from '@expe/auth';
import { loadGatewayConfig } from '@expe/gateway';
import {
  chartsDirectory,
  ensureKubeBinaries,
  run,
  toolSets,
  toolsDirectory,
} from '@expe/kube-harness';
import { loadMerchantsConfig } from '@expe/merchants';
import { loadPaymentsConfig } from '@expe/payments';
import { loadWebhooksConfig } from '@expe/webhooks';
import { parseAllDocuments } from 'yaml';

/** Each Node service's config loader, by its container name: it throws on what it would refuse. */
export const serviceConfigLoaders: Record<string, (env: Record<string, string>) => unknown> = {
  gateway: loadGatewayConfig,
  auth: loadAuthConfig,
  merchants: loadMerchantsConfig,
  payments: loadPaymentsConfig,
  webhooks: loadWebhooksConfig,
};

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  data?: Record<string, string>;
}

export function objectsOf(manifest: string): KubeObject[] {
  return parseAllDocuments(manifest)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null);
}

async function isExecutable(path: string) {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** $HELM, else the harness's cached helm (built from Go modules on first use). */
export async function findHelm(): Promise<string> {
  if (process.env.HELM) return process.env.HELM;
  const cached = join(toolsDirectory(), 'bin', 'helm');
  if (await isExecutable(cached)) return cached;
  return (await ensureKubeBinaries({ tools: toolSets.tests })).helm;
}

export interface Charts {
  dir: string;
  helm: string;
  /** `helm template <release> <chart>`; returns the parsed objects. */
  render(
    release: string,
    chart: string,
    options?: { namespace?: string; args?: string[] },
  ): Promise<KubeObject[]>;
  /** The same, but resolving with the failure instead of throwing. */
  renderFailure(release: string, chart: string, args: string[]): Promise<string>;
  cleanup(): Promise<void>;
}

/** A copy of charts/ with its file:// dependencies vendored (the working tree is never written). */
export async function prepareCharts(): Promise<Charts> {
  const helm = await findHelm();
  const dir = await mkdtemp(join(tmpdir(), 'expe-charts-'));
  await cp(chartsDirectory, dir, { recursive: true, filter: (src) => !src.endsWith('.tgz') });
  await run('sh', [join(dir, 'update-dependencies.sh')], { env: { ...process.env, HELM: helm } });
  return {
    dir,
    helm,
    async render(release, chart, options = {}) {
      const { stdout } = await run(helm, [
        'template',
        release,
        join(dir, chart),
        '--namespace',
        options.namespace ?? 'expe',
        ...(options.args ?? []),
      ]);
      return objectsOf(stdout);
    },
    async renderFailure(release, chart, args) {
      const result = await run(helm, ['template', release, join(dir, chart), ...args], {
        allowFailure: true,
      });
      if (result.exitCode === 0) throw new Error(`helm template ${chart} ${args.join(' ')} passed`);
      return result.stderr;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string };
      configMapKeyRef?: { name: string; key: string };
      fieldRef?: { fieldPath: string };
    };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/** The pod template of a workload, with its owner, for every workload in the manifest. */
export function podTemplates(objects: readonly KubeObject[]) {
  return objects
    .filter((object) => workloadKinds.has(object.kind))
    .map((object) => ({
      owner: object,
      labels: (object.spec.template.metadata?.labels ?? {}) as Record<string, string>,
      containers: [
        ...(object.spec.template.spec.initContainers ?? []),
        ...object.spec.template.spec.containers,
      ] as Container[],
    }));
}

/**
 * The environment a container would start with: ConfigMaps and Secrets resolved from the same
 * manifest (Secrets decoded), field references filled with a placeholder. Throws naming any
 * reference to an object or key the manifest does not have.
 */
export function environmentOf(
  container: Container,
  objects: readonly KubeObject[],
  external: {
    secrets?: Record<string, Record<string, string>>;
    configMaps?: Record<string, Record<string, string>>;
  } = {},
): Record<string, string> {
  const configMap = (name: string) => {
    const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    if (found) return found.data ?? {};
    const given = external.configMaps?.[name];
    if (!given) throw new Error(`${container.name}: ConfigMap ${name} is not in the manifest`);
    return given;
  };
  const secret = (name: string) => {
    const found = objects.find((o) => o.kind === 'Secret' && o.metadata.name === name);
    if (found) {
      return Object.fromEntries(
        Object.entries(found.data ?? {}).map(([key, value]) => [
          key,
          Buffer.from(value, 'base64').toString('utf8'),
        ]),
      );
    }
    const given = external.secrets?.[name];
    if (!given) throw new Error(`${container.name}: Secret ${name} is not in the manifest`);
    return given;
  };
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMap(source.configMapRef.name));
    if (source.secretRef) Object.assign(env, secret(source.secretRef.name));
  }
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = entry.value;
    const from = entry.valueFrom;
    if (from?.secretKeyRef) {
      const value = secret(from.secretKeyRef.name)[from.secretKeyRef.key];
      if (value === undefined) {
        throw new Error(
          `${container.name}: ${entry.name} reads key ${from.secretKeyRef.key} that Secret ${from.secretKeyRef.name} does not have`,
        );
      }
      env[entry.name] = value;
    }
    if (from?.configMapKeyRef) {
      const value = configMap(from.configMapKeyRef.name)[from.configMapKeyRef.key];
      if (value === undefined)
        throw new Error(`${container.name}: ${entry.name} reads a missing ConfigMap key`);
      env[entry.name] = value;
    }
    if (from?.fieldRef) env[entry.name] = `field:${from.fieldRef.fieldPath}`;
  }
  return env;
}

type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};

/** metav1.LabelSelector semantics: an empty selector matches everything. */
export function selectorMatches(selector: Selector | undefined, labels: Record<string, string>) {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expression.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expression.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}

export interface PeerPod {
  namespace: string;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
}

/**
 * Whether the NetworkPolicies of the manifest let `from` reach a pod (labels, namespace) on a
 * container port. Ingress is open when no policy selects the pod (Kubernetes' rule).
 */
export function isIngressAllowed(
  policies: readonly KubeObject[],
  target: { namespace: string; labels: Record<string, string> },
  port: { name?: string; containerPort: number },
  from: PeerPod,
): boolean {
  const selecting = policies.filter(
    (policy) =>
      policy.kind === 'NetworkPolicy' &&
      (policy.metadata.namespace ?? target.namespace) === target.namespace &&
      (policy.spec.policyTypes ?? ['Ingress']).includes('Ingress') &&
      selectorMatches(policy.spec.podSelector, target.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    ((policy.spec.ingress ?? []) as any[]).some((rule) => {
      const portOk =
        !rule.ports ||
        rule.ports.length === 0 ||
        rule.ports.some(
          (p: any) =>
            (p.protocol ?? 'TCP') === 'TCP' &&
            (p.port === undefined || p.port === port.name || p.port === port.containerPort),
        );
      const peerOk =
        !rule.from ||
        rule.from.length === 0 ||
        rule.from.some((peer: any) => {
          if (peer.ipBlock) return false;
          const namespaceOk = peer.namespaceSelector
            ? selectorMatches(peer.namespaceSelector, from.namespaceLabels)
            : from.namespace === target.namespace;
          return namespaceOk && selectorMatches(peer.podSelector, from.labels);
        });
      return portOk && peerOk;
    }),
  );
}

/** Files the built image would hold: after `tsc -b`, the repository minus sources (Dockerfile). */
export async function existsInBuiltLayout(root: string, path: string): Promise<boolean> {
  if (/(^|\/)(src|test)\//.test(path)) return false;
  return access(join(root, path)).then(
    () => true,
    () => false,
  );
}

/** A destination of traffic leaving a pod: another pod (by labels) or an address outside. */
export type EgressDestination =
  | { pod: PeerPod }
  | {
      /** An address that is no pod's (the internet, a managed database, cloud metadata). */
      ip: string;
    };

function ipBlockMatches(block: { cidr: string; except?: string[] }, ip: string): boolean {
  const family = isIPv6(ip) ? 'ipv6' : 'ipv4';
  const inRange = (cidr: string) => {
    const [network, prefix] = cidr.split('/');
    const cidrFamily = isIPv6(network!) ? 'ipv6' : 'ipv4';
    if (cidrFamily !== family) return false;
    const list = new BlockList();
    list.addSubnet(network!, Number(prefix), cidrFamily);
    return list.check(ip, family);
  };
  return inRange(block.cidr) && !(block.except ?? []).some(inRange);
}

/**
 * Whether the NetworkPolicies of the manifest let a pod (labels, namespace) open a connection to
 * `to` on a port, Kubernetes' egress semantics: open when no policy with policyTypes Egress
 * selects the pod; else some egress rule of those policies must admit both the port and the
 * destination. A pod destination is matched by namespaceSelector/podSelector only, an address
 * by ipBlock only (what ipBlock does with pod addresses is up to the network plugin).
 */
export function isEgressAllowed(
  policies: readonly KubeObject[],
  source: { namespace: string; labels: Record<string, string> },
  to: EgressDestination,
  port: { port: number; protocol?: 'TCP' | 'UDP'; name?: string },
): boolean {
  const selecting = policies.filter(
    (policy) =>
      policy.kind === 'NetworkPolicy' &&
      (policy.metadata.namespace ?? source.namespace) === source.namespace &&
      (policy.spec.policyTypes ?? []).includes('Egress') &&
      selectorMatches(policy.spec.podSelector, source.labels),
  );
  if (selecting.length === 0) return true;
  const protocol = port.protocol ?? 'TCP';
  return selecting.some((policy) =>
    ((policy.spec.egress ?? []) as any[]).some((rule) => {
      const portOk =
        !rule.ports ||
        rule.ports.length === 0 ||
        rule.ports.some(
          (p: any) =>
            (p.protocol ?? 'TCP') === protocol &&
            (p.port === undefined ||
              p.port === port.port ||
              (port.name !== undefined && p.port === port.name) ||
              (p.endPort !== undefined && port.port >= p.port && port.port <= p.endPort)),
        );
      const peerOk =
        !rule.to ||
        rule.to.length === 0 ||
        rule.to.some((peer: any) => {
          if ('ip' in to) return peer.ipBlock ? ipBlockMatches(peer.ipBlock, to.ip) : false;
          if (peer.ipBlock) return false;
          const namespaceOk = peer.namespaceSelector
            ? selectorMatches(peer.namespaceSelector, to.pod.namespaceLabels)
            : to.pod.namespace === source.namespace;
          return namespaceOk && selectorMatches(peer.podSelector, to.pod.labels);
        });
      return portOk && peerOk;
    }),
  );
}
