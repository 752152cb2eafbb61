import { join } from 'node:path';
import { stringify } from 'yaml';
import { clusterNetwork as net, type ClusterPaths } from './layout.js';

/** The image containerd uses for every Pod sandbox; imported before the kubelet starts. */
export const pauseImage = 'expe.local/pause:1.0';
export const coreDnsImage = 'expe.local/coredns:1.14.7';

/**
 * containerd 1.6 with its CRI plugin. `restrict_oom_score_adj`: runc cannot lower
 * oom_score_adj on these VMs (no CAP_SYS_RESOURCE in the bounding set), and every sandbox
 * fails without it. `netns_mounts_under_state_dir`: Pod network namespaces live under the state
 * dir instead of /run/netns. No registry is configured: every image is imported.
 */
export function containerdConfig(paths: ClusterPaths): string {
  return `version = 2
root = ${JSON.stringify(paths.containerdRoot)}
state = ${JSON.stringify(paths.containerdState)}
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = ${JSON.stringify(paths.containerdSocket)}

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = ${JSON.stringify(pauseImage)}
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  max_container_log_line_size = 16384
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = ${JSON.stringify(paths.cniConfig)}
`;
}

/** One bridge for every Pod, addresses from host-local IPAM, hostPort through portmap. */
export function cniConfig(paths: ClusterPaths): string {
  return JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'expe',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          // A Pod reaching its own Service address is sent back to itself.
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: net.podCidr }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: paths.cniData,
          },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export function kubeletConfig(paths: ClusterPaths): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: net.nodeAddress,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: false },
      x509: { clientCAFile: join(paths.pki, 'ca.crt') },
    },
    authorization: { mode: 'AlwaysAllow' },
    cgroupDriver: 'cgroupfs',
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    clusterDNS: [net.dnsServiceAddress],
    clusterDomain: net.clusterDomain,
    // Pods get the cluster's DNS only; the host's resolvers never reach them.
    resolvConf: join(paths.config, 'resolv.conf'),
    failSwapOn: false,
    staticPodPath: '',
    volumePluginDir: join(paths.kubeletRoot, 'volume-plugins'),
    // Images are imported, never pulled again: the garbage collector must not remove them.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: {
      'memory.available': '100Mi',
      'nodefs.available': '1%',
      'imagefs.available': '1%',
      'nodefs.inodesFree': '1%',
    },
    serializeImagePulls: false,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    maxPods: 60,
    shutdownGracePeriod: '0s',
    logging: { format: 'text' },
  });
}

export function kubeProxyConfig(paths: ClusterPaths): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: paths.kubeconfig },
    mode: 'iptables',
    clusterCIDR: net.clusterCidr,
    hostnameOverride: net.nodeName,
    bindAddress: '0.0.0.0',
    healthzBindAddress: '127.0.0.1:10256',
    metricsBindAddress: '127.0.0.1:10249',
    // All zero: kube-proxy leaves the machine-wide nf_conntrack sysctls alone.
    conntrack: {
      maxPerCore: 0,
      min: 0,
      tcpEstablishedTimeout: '0s',
      tcpCloseWaitTimeout: '0s',
      udpTimeout: '0s',
      udpStreamTimeout: '0s',
    },
    iptables: { localhostNodePorts: false, masqueradeAll: false },
  });
}

export interface DaemonSpec {
  name: string;
  binary: string;
  args: string[];
}

/** The command lines of the node's daemons, in start order (containerd is started apart). */
export function controlPlaneArgs(paths: ClusterPaths) {
  const pki = (file: string) => join(paths.pki, file);
  const etcdUrl = `http://127.0.0.1:${net.etcdPort}`;
  return {
    etcd: [
      '--name=expe-node',
      `--data-dir=${paths.etcdData}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=expe-node=http://127.0.0.1:2380',
      '--listen-metrics-urls=',
      // Test data is thrown away: fsync only slows every write down.
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    'kube-apiserver': [
      `--etcd-servers=${etcdUrl}`,
      `--secure-port=${net.apiServerPort}`,
      '--bind-address=0.0.0.0',
      `--advertise-address=${net.nodeAddress}`,
      `--cert-dir=${join(paths.root, 'apiserver')}`,
      `--tls-cert-file=${pki('serving.crt')}`,
      `--tls-private-key-file=${pki('serving.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      `--kubelet-client-certificate=${pki('admin.crt')}`,
      `--kubelet-client-key=${pki('admin.key')}`,
      // The node's name resolves nowhere (no upstream DNS): logs and exec go to its IP.
      '--kubelet-preferred-address-types=InternalIP',
      `--service-account-issuer=https://kubernetes.default.svc.${net.clusterDomain}`,
      `--service-account-key-file=${pki('service-account.pub')}`,
      `--service-account-signing-key-file=${pki('service-account.key')}`,
      `--service-cluster-ip-range=${net.serviceCidr}`,
      '--service-node-port-range=30000-32767',
      '--authorization-mode=Node,RBAC',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=0',
    ],
    'kube-controller-manager': [
      `--kubeconfig=${paths.kubeconfig}`,
      `--authentication-kubeconfig=${paths.kubeconfig}`,
      `--authorization-kubeconfig=${paths.kubeconfig}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      `--root-ca-file=${pki('ca.crt')}`,
      `--service-account-private-key-file=${pki('service-account.key')}`,
      `--service-cluster-ip-range=${net.serviceCidr}`,
      `--cluster-cidr=${net.clusterCidr}`,
      '--allocate-node-cidrs=false',
      // Without it the controller-manager probes /usr/libexec/kubernetes on the host.
      `--flex-volume-plugin-dir=${join(paths.kubeletRoot, 'volume-plugins')}`,
      '--profiling=false',
      '--v=0',
    ],
    'kube-scheduler': [
      `--kubeconfig=${paths.kubeconfig}`,
      `--authentication-kubeconfig=${paths.kubeconfig}`,
      `--authorization-kubeconfig=${paths.kubeconfig}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
      '--profiling=false',
      '--v=0',
    ],
    kubelet: [
      `--config=${join(paths.config, 'kubelet.yaml')}`,
      `--kubeconfig=${paths.kubeconfig}`,
      `--root-dir=${paths.kubeletRoot}`,
      `--cert-dir=${join(paths.kubeletRoot, 'pki')}`,
      `--hostname-override=${net.nodeName}`,
      `--node-ip=${net.nodeAddress}`,
      '--v=0',
    ],
    'kube-proxy': [`--config=${join(paths.config, 'kube-proxy.yaml')}`, '--v=0'],
  };
}

/**
 * CoreDNS for `cluster.local` (and its reverse zones) only: no `forward` plugin, so any other
 * name is answered REFUSED and nothing is resolved off the machine.
 */
export function coreDnsManifests(): string {
  const labels = { 'k8s-app': 'kube-dns' };
  // Server blocks for the cluster's zones only: a name outside them matches no block and
  // CoreDNS answers REFUSED.
  const corefile = `${net.clusterDomain}:53 in-addr.arpa:53 ip6.arpa:53 {
    errors
    health :8080
    ready :8181
    kubernetes ${net.clusterDomain} in-addr.arpa ip6.arpa {
        pods insecure
        ttl 30
    }
    cache 30
    reload
}
`;
  const objects = [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'coredns', namespace: 'kube-system' },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        {
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
          verbs: ['list', 'watch'],
        },
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['list', 'watch'],
        },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'system:coredns',
      },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: 'kube-system' },
      data: { Corefile: corefile },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'coredns',
            priorityClassName: 'system-cluster-critical',
            dnsPolicy: 'Default',
            containers: [
              {
                name: 'coredns',
                image: coreDnsImage,
                imagePullPolicy: 'Never',
                args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                ],
                resources: {
                  requests: { cpu: '20m', memory: '32Mi' },
                  limits: { memory: '128Mi' },
                },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 2 },
                livenessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 10 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
                },
                volumeMounts: [{ name: 'config', mountPath: '/etc/coredns', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: 'coredns' } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels },
      spec: {
        selector: labels,
        clusterIP: net.dnsServiceAddress,
        ports: [
          { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
        ],
      },
    },
  ];
  return objects.map((object) => stringify(object)).join('---\n');
}

/**
 * Statically provisioned volumes (hostPath under the cluster dir, no StorageClass), so the
 * charts' PersistentVolumeClaims bind without a provisioner.
 */
export function persistentVolumeManifests(paths: ClusterPaths, count: number): string {
  return Array.from({ length: count }, (_, index) =>
    stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: `expe-local-${index}` },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: '',
        hostPath: { path: join(paths.volumes, `pv-${index}`), type: 'Directory' },
      },
    }),
  ).join('---\n');
}
