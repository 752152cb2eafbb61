/**
 * A real one-node Kubernetes cluster from upstream parts: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kubelet and kube-proxy built from Go modules,
 * Debian's containerd + runc + CNI plugins, CoreDNS, all inside a network namespace with no
 * default route and a private mount namespace. `startCluster` leaves it running after the
 * calling process exits (a detached supervisor owns the daemons); `stopCluster` removes every
 * process, mount, interface, cgroup and file it made, also after a SIGKILL.
 */
import { spawn } from 'node:child_process';
import { constants, openSync, closeSync } from 'node:fs';
import { access, mkdir, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureKubeBinaries, type KubeBinaries } from '../binaries.js';
import { generateCertificates } from '../certificates.js';
import { run, type CommandResult, type RunOptions } from '../commands.js';
import { buildCoreDnsImage, buildPauseImage } from '../images/images.js';
import { repositoryRoot } from '../paths.js';
import {
  clusterNetwork as net,
  clusterPaths,
  kubeletSysctls,
  privateMountPaths,
  type ClusterPaths,
} from './layout.js';
import {
  cniConfig,
  containerdConfig,
  coreDnsManifests,
  kubeletConfig,
  kubeProxyConfig,
  persistentVolumeManifests,
} from './node-config.js';
import type { SupervisorInput } from './supervisor.js';

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stderr.write(`[cluster] ${line}\n`);

export interface Cluster {
  paths: ClusterPaths;
  kubeconfigPath: string;
  /** `https://10.255.255.2:6443`, reached from the host through the veth. */
  server: string;
  binaries: KubeBinaries;
  kubectl: (args: readonly string[], options?: RunOptions) => Promise<CommandResult>;
  helm: (args: readonly string[], options?: RunOptions) => Promise<CommandResult>;
  /** `ctr -n k8s.io images import <archive>` into the node's containerd. */
  importImage: (archive: string) => Promise<void>;
  /** `ctr -n k8s.io …` against the node's containerd. */
  ctr: (args: readonly string[]) => Promise<CommandResult>;
  /** Environment pointing kubectl and helm at the cluster. */
  env: NodeJS.ProcessEnv;
}

const exists = (path: string) =>
  access(path, constants.F_OK).then(
    () => true,
    () => false,
  );

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const netnsPath = `/run/netns/${net.namespace}`;
const inNamespace = (command: string[]) => ['nsenter', `--net=${netnsPath}`, '--', ...command];

async function sh(args: string[], options: RunOptions = {}) {
  return run(args[0] as string, args.slice(1), options);
}

/** Connects to a running cluster (made by `startCluster`, possibly in another process). */
export async function connectCluster(
  paths: ClusterPaths = clusterPaths(),
  binaries?: KubeBinaries,
): Promise<Cluster> {
  const supervisorPid = Number(await readFile(paths.supervisorPid, 'utf8').catch(() => ''));
  if (!(await exists(paths.readyFile)) || !(supervisorPid > 0 && isAlive(supervisorPid))) {
    throw new Error(`no cluster is running (see ${paths.root}); run npm run cluster:up`);
  }
  const tools = binaries ?? (await ensureKubeBinaries());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KUBECONFIG: paths.kubeconfig,
    HELM_CACHE_HOME: join(paths.root, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(paths.root, 'helm', 'config'),
    HELM_DATA_HOME: join(paths.root, 'helm', 'data'),
  };
  const withEnv = (options: RunOptions = {}): RunOptions => ({
    ...options,
    env: { ...env, ...options.env },
  });
  const ctr = (args: readonly string[]) =>
    run('ctr', ['--address', paths.containerdSocket, '--namespace', 'k8s.io', ...args]);
  return {
    paths,
    kubeconfigPath: paths.kubeconfig,
    server: `https://${net.nodeAddress}:${net.apiServerPort}`,
    binaries: tools,
    env,
    kubectl: (args, options) =>
      run(tools.kubectl, [`--kubeconfig=${paths.kubeconfig}`, ...args], withEnv(options)),
    helm: (args, options) =>
      run(tools.helm, [`--kubeconfig=${paths.kubeconfig}`, ...args], withEnv(options)),
    ctr,
    async importImage(archive) {
      await ctr(['images', 'import', archive]);
    },
  };
}

function kubeconfig(server: string, ca: string, cert: string, key: string): string {
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'expe-cluster', cluster: { server, 'certificate-authority-data': b64(ca) } },
      ],
      users: [
        {
          name: 'expe-admin',
          user: { 'client-certificate-data': b64(cert), 'client-key-data': b64(key) },
        },
      ],
      contexts: [
        {
          name: 'expe-cluster',
          context: { cluster: 'expe-cluster', user: 'expe-admin', namespace: 'default' },
        },
      ],
      'current-context': 'expe-cluster',
    },
    null,
    2,
  );
}

async function readSysctl(name: string): Promise<string> {
  return (await run('sysctl', ['-n', name])).stdout.trim();
}

async function requireCommands() {
  const missing: string[] = [];
  for (const [command, pkg] of [
    ['containerd', 'containerd'],
    ['ctr', 'containerd'],
    ['runc', 'runc'],
    ['iptables', 'iptables'],
    ['conntrack', 'conntrack'],
    ['nsenter', 'util-linux'],
    ['unshare', 'util-linux'],
    ['ip', 'iproute2'],
    ['gcc', 'gcc'],
  ] as const) {
    const found = await run('sh', ['-c', `command -v ${command}`], { allowFailure: true });
    if (found.exitCode !== 0) missing.push(pkg);
  }
  if (!(await exists('/usr/lib/cni/bridge'))) missing.push('containernetworking-plugins');
  if (missing.length > 0) {
    throw new Error(
      `the cluster needs Debian packages: apt-get install -y ${[...new Set(missing)].join(' ')}`,
    );
  }
  if (process.getuid?.() !== 0)
    throw new Error('the cluster needs root (network and mount namespaces, cgroups)');
}

async function createNetwork() {
  await sh(['ip', 'netns', 'add', net.namespace]);
  await sh([
    'ip',
    'link',
    'add',
    net.hostInterface,
    'type',
    'veth',
    'peer',
    'name',
    net.nodeInterface,
    'netns',
    net.namespace,
  ]);
  await sh([
    'ip',
    'addr',
    'add',
    `${net.hostAddress}/${net.linkPrefixLength}`,
    'dev',
    net.hostInterface,
  ]);
  await sh(['ip', 'link', 'set', net.hostInterface, 'up']);
  const inside = (args: string[]) => sh(inNamespace(args));
  await inside(['ip', 'link', 'set', 'lo', 'up']);
  await inside([
    'ip',
    'addr',
    'add',
    `${net.nodeAddress}/${net.linkPrefixLength}`,
    'dev',
    net.nodeInterface,
  ]);
  await inside(['ip', 'link', 'set', net.nodeInterface, 'up']);
  // Per-namespace settings: forwarding between the bridge and the veth, bridged Pod traffic
  // through kube-proxy's rules. No default route is ever added inside.
  await inside(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
  await inside(['sysctl', '-q', '-w', 'net.bridge.bridge-nf-call-iptables=1']);
  await inside(['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
  // The host reaches Services and Pods through the veth (the routes go with the interface).
  await sh([
    'ip',
    'route',
    'add',
    net.serviceCidr,
    'via',
    net.nodeAddress,
    'dev',
    net.hostInterface,
  ]);
  await sh(['ip', 'route', 'add', net.podCidr, 'via', net.nodeAddress, 'dev', net.hostInterface]);
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  failFast?: () => Promise<string | undefined>,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    const failure = await failFast?.();
    if (failure) throw new Error(`${what}: ${failure}`);
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

async function logTail(file: string, lines = 40): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface StartClusterOptions {
  log?: Log;
  paths?: ClusterPaths;
  /** Statically provisioned PersistentVolumes for the charts' claims. Default 4. */
  persistentVolumes?: number;
}

export async function startCluster(options: StartClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? defaultLog;
  const paths = options.paths ?? clusterPaths();
  await requireCommands();
  await stopCluster({ paths, log: () => {} });
  const started = Date.now();
  const binaries = await ensureKubeBinaries({ log });

  for (const dir of [
    paths.pki,
    paths.logs,
    paths.config,
    paths.cniConfig,
    paths.cniData,
    paths.volumes,
    paths.kubeletRoot,
  ]) {
    await mkdir(dir, { recursive: true });
  }
  const certs = await generateCertificates(paths.pki, {
    serverAddresses: [net.nodeAddress, net.apiServiceAddress],
    serverNames: [`kubernetes.default.svc.${net.clusterDomain}`],
  });
  const server = `https://${net.nodeAddress}:${net.apiServerPort}`;
  await writeFile(
    paths.kubeconfig,
    kubeconfig(server, certs.caCert, certs.adminCert, certs.adminKey),
    { mode: 0o600 },
  );
  await writeFile(join(paths.config, 'containerd.toml'), containerdConfig(paths));
  await writeFile(join(paths.config, 'kubelet.yaml'), kubeletConfig(paths));
  await writeFile(join(paths.config, 'kube-proxy.yaml'), kubeProxyConfig(paths));
  await writeFile(join(paths.cniConfig, '10-expe.conflist'), cniConfig(paths));
  await writeFile(
    join(paths.config, 'resolv.conf'),
    '# No upstream resolvers: nothing is resolved off this machine.\n',
  );

  const sysctls: Record<string, string> = {};
  for (const name of kubeletSysctls) sysctls[name] = await readSysctl(name);
  await writeFile(paths.sysctlRecord, JSON.stringify(sysctls));
  const created: string[] = [];
  for (const path of privateMountPaths) {
    if (!(await exists(path))) {
      await mkdir(path, { recursive: true });
      created.push(path);
    }
  }
  await writeFile(paths.createdMountPoints, JSON.stringify(created));

  await createNetwork();
  const pause = await buildPauseImage();
  const input: SupervisorInput = { paths, binaries, pauseArchive: pause.archive };
  const inputFile = join(paths.config, 'supervisor.json');
  await writeFile(inputFile, JSON.stringify(input));

  // The TypeScript source, also when this module runs from dist/ (tsx loads it).
  const cli = join(repositoryRoot, 'packages', 'kube-harness', 'src', 'cluster-cli.ts');
  const logFd = openSync(join(paths.logs, 'supervisor.log'), 'a');
  const supervisor = spawn(
    'nsenter',
    [
      `--net=${netnsPath}`,
      '--',
      'unshare',
      '--mount',
      '--propagation',
      'private',
      '--',
      process.execPath,
      '--conditions=@expe/source',
      '--import',
      'tsx',
      cli,
      'supervise',
      inputFile,
    ],
    { detached: true, stdio: ['ignore', logFd, logFd], cwd: repositoryRoot },
  );
  closeSync(logFd);
  supervisor.unref();
  await writeFile(paths.supervisorPid, String(supervisor.pid));
  log(`node daemons starting in network namespace ${net.namespace} (logs in ${paths.logs})`);

  const supervisorDied = async () =>
    supervisor.pid && !isAlive(supervisor.pid)
      ? `the supervisor exited:\n${await logTail(join(paths.logs, 'supervisor.log'))}`
      : undefined;
  await waitFor('the node daemons', () => exists(paths.readyFile), 180_000, supervisorDied);
  const cluster = await connectCluster(paths, binaries);
  await waitFor(
    `node ${net.nodeName} Ready`,
    async () =>
      (
        await cluster.kubectl([
          'get',
          'node',
          net.nodeName,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ])
      ).stdout === 'True',
    120_000,
    supervisorDied,
  );
  log(`node Ready after ${Math.round((Date.now() - started) / 1000)}s`);

  const coredns = await buildCoreDnsImage(binaries.coredns);
  await cluster.importImage(coredns.archive);
  await cluster.kubectl(['apply', '-f', '-'], { input: coreDnsManifests() });
  await recycleVolumes(cluster, options.persistentVolumes ?? 4);
  await cluster.kubectl([
    '-n',
    'kube-system',
    'rollout',
    'status',
    'deployment/coredns',
    '--timeout=120s',
  ]);
  log(
    `cluster ready after ${Math.round((Date.now() - started) / 1000)}s; KUBECONFIG=${paths.kubeconfig}`,
  );
  return cluster;
}

/**
 * Makes `count` empty, Available PersistentVolumes. A volume whose claim was deleted ends
 * `Failed` (nothing deletes hostPath volumes): it is removed and made again, empty, so a new
 * install never sees an old database.
 */
export async function recycleVolumes(cluster: Cluster, count = 4): Promise<void> {
  const { stdout } = await cluster.kubectl(['get', 'persistentvolumes', '-o', 'json']);
  const volumes = JSON.parse(stdout) as {
    items: { metadata: { name: string }; status?: { phase?: string } }[];
  };
  const phases = new Map(
    volumes.items.map((volume) => [volume.metadata.name, volume.status?.phase]),
  );
  for (let index = 0; index < count; index += 1) {
    const name = `expe-local-${index}`;
    const phase = phases.get(name);
    if (phase === 'Available' || phase === 'Bound' || phase === 'Pending') continue;
    if (phases.has(name))
      await cluster.kubectl(['delete', 'persistentvolume', name, '--wait=true']);
    const dir = join(cluster.paths.volumes, `pv-${index}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    // hostPath volumes get no fsGroup: any Pod user (postgres is uid 70) must be able to write.
    await run('chmod', ['0777', dir]);
  }
  await cluster.kubectl(['apply', '-f', '-'], {
    input: persistentVolumeManifests(cluster.paths, count),
  });
}

async function cgroupProcesses(): Promise<number[]> {
  const pids: number[] = [];
  const walk = async (dir: string) => {
    const procs = await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '');
    pids.push(...procs.split('\n').filter(Boolean).map(Number));
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) await walk(join(dir, entry.name));
  };
  for (const hierarchy of await readdir('/sys/fs/cgroup').catch(() => [])) {
    await walk(join('/sys/fs/cgroup', hierarchy, 'kubepods'));
  }
  return [...new Set(pids)];
}

async function removeCgroups() {
  const removeTree = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
    await rmdir(dir).catch(() => {});
  };
  for (const hierarchy of await readdir('/sys/fs/cgroup').catch(() => [])) {
    await removeTree(join('/sys/fs/cgroup', hierarchy, 'kubepods'));
  }
}

async function namespaceProcesses(): Promise<number[]> {
  if (!(await exists(netnsPath))) return [];
  const { stdout } = await run('ip', ['netns', 'pids', net.namespace], { allowFailure: true });
  return stdout.split('\n').filter(Boolean).map(Number);
}

export interface StopClusterOptions {
  log?: Log;
  paths?: ClusterPaths;
}

/**
 * Removes everything the cluster made; safe to run at any time, any number of times: the
 * supervisor gets SIGTERM, then whatever still runs in the node's network namespace or in its
 * Pods' cgroups gets SIGKILL; then the cgroups, the namespace (and with it the veth and its
 * routes), the mount points it created and its files go, and the kubelet's sysctls are restored.
 */
export async function stopCluster(options: StopClusterOptions = {}): Promise<void> {
  const log = options.log ?? defaultLog;
  const paths = options.paths ?? clusterPaths();
  const supervisorPid = Number(await readFile(paths.supervisorPid, 'utf8').catch(() => ''));
  if (supervisorPid > 0 && isAlive(supervisorPid)) {
    log(`stopping the node (supervisor pid ${supervisorPid})`);
    process.kill(supervisorPid, 'SIGTERM');
    const deadline = Date.now() + 45_000;
    while (isAlive(supervisorPid) && Date.now() < deadline) await sleep(200);
  }
  for (let round = 0; round < 50; round += 1) {
    const pids = [
      ...new Set([...(await namespaceProcesses()), ...(await cgroupProcesses())]),
    ].filter((pid) => pid !== process.pid);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await sleep(200);
  }
  await removeCgroups();
  if (await exists(netnsPath))
    await run('ip', ['netns', 'delete', net.namespace], { allowFailure: true });
  await run('ip', ['link', 'delete', net.hostInterface], { allowFailure: true });

  const sysctls = JSON.parse(
    await readFile(paths.sysctlRecord, 'utf8').catch(() => '{}'),
  ) as Record<string, string>;
  for (const [name, value] of Object.entries(sysctls)) {
    await run('sysctl', ['-q', '-w', `${name}=${value}`], { allowFailure: true });
  }
  const created = JSON.parse(
    await readFile(paths.createdMountPoints, 'utf8').catch(() => '[]'),
  ) as string[];
  for (const path of created.reverse()) await rmdir(path).catch(() => {});
  await rm(paths.root, { recursive: true, force: true });
}
