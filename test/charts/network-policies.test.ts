import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  environmentOf,
  isEgressAllowed,
  isIngressAllowed,
  podTemplates,
  prepareCharts,
  selectorMatches,
  type Charts,
  type KubeObject,
  type PeerPod,
} from './support.js';

// What the NetworkPolicies of both charts let each Pod send and receive, read from `helm
// template` with the evaluator in support.ts (isEgressAllowed, isIngressAllowed: Kubernetes'
// NetworkPolicy semantics). The one-node cluster's network (the CNI bridge plugin) does not
// enforce NetworkPolicies, so a cluster test could not tell an open policy from a closed one.
// The API server's acceptance of every policy is packages/kube-harness/test/charts.test.ts.

const namespace = 'expe';
const namespaceLabels = { 'kubernetes.io/metadata.name': namespace };
const kubeDns: PeerPod = {
  namespace: 'kube-system',
  namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
  labels: { 'k8s-app': 'kube-dns' },
};
const dnsPort = { port: 53, protocol: 'UDP' as const };
const prometheus: PeerPod = {
  namespace: 'monitoring',
  namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
  labels: { 'app.kubernetes.io/name': 'prometheus' },
};
const stranger: PeerPod = {
  namespace: 'other',
  namespaceLabels: { 'kubernetes.io/metadata.name': 'other' },
  labels: { app: 'curl' },
};
/** Addresses no Expe Pod may reach but the ones it is configured for. */
const publicAddress = '93.184.216.34';
const forbiddenAddresses = [
  '169.254.169.254', // cloud metadata (AWS, GCP, Azure)
  '10.0.0.1',
  '172.20.1.1',
  '192.168.1.10',
  '100.64.0.5',
  '127.0.0.1',
  'fd00:ec2::254', // AWS metadata over IPv6
  'fe80::1',
];

let charts: Charts;

beforeAll(async () => {
  charts = await prepareCharts();
}, 600_000);

afterAll(async () => {
  await charts?.cleanup();
});

const platform = (extra: string[] = []) =>
  charts.render('expe', 'expe', { namespace, args: extra });
const operator = (extra: string[] = [], operatorNamespace = namespace) =>
  charts.render('expe-operator', 'expe-operator', {
    namespace: operatorNamespace,
    args: ['--set', 'platform.releaseName=expe', ...extra],
  });

type Pod = ReturnType<typeof podTemplates>[number];
const asPeer = (pod: Pod, podNamespace = namespace): PeerPod => ({
  namespace: podNamespace,
  namespaceLabels: { 'kubernetes.io/metadata.name': podNamespace },
  labels: pod.labels,
});
const nameOf = (pod: Pod) => pod.owner.metadata.name;

/**
 * The Pod and port every address a container is configured with leads to: each
 * http://<service>:<port> URL and the host of DATABASE_URL and REDIS_URL, resolved through the
 * manifest's Services to the Pods behind them.
 */
function configuredPeers(objects: KubeObject[], pod: Pod) {
  const peers: { variable: string; pod: Pod; port: { name?: string; containerPort: number } }[] =
    [];
  for (const container of pod.containers) {
    const env = environmentOf(container, objects);
    for (const [variable, value] of Object.entries(env)) {
      if (!/_URL$/.test(variable) || variable === 'CHECKOUT_BASE_URL') continue;
      if (!/^(https?|postgres|postgresql|redis):\/\//.test(value)) continue;
      const url = new URL(value);
      const service = objects.find(
        (o) => o.kind === 'Service' && o.metadata.name === url.hostname.split('.')[0],
      );
      if (!service) continue;
      const servicePort = service.spec.ports.find(
        (p: any) =>
          String(p.port) ===
          (url.port || { postgres: '5432', redis: '6379' }[url.protocol.slice(0, -1)]),
      );
      expect(
        servicePort,
        `${nameOf(pod)} ${variable}=${value} names a port of ${service.metadata.name}`,
      ).toBeDefined();
      const target = podTemplates(objects).find((p) =>
        selectorMatches({ matchLabels: service.spec.selector }, p.labels),
      );
      expect(target, `Pods behind ${service.metadata.name}`).toBeDefined();
      const port = target!.containers
        .flatMap((c) => c.ports ?? [])
        .find(
          (p) => p.name === servicePort.targetPort || p.containerPort === servicePort.targetPort,
        );
      expect(port, `${service.metadata.name} targets a container port`).toBeDefined();
      peers.push({ variable, pod: target!, port: port! });
    }
  }
  return peers;
}

describe('default deny', () => {
  it('when the platform and the operator are rendered, then every Pod is under a policy that restricts both ingress and egress', async () => {
    const objects = [...(await platform()), ...(await operator())];
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const pods = podTemplates(objects);

    expect(pods.map(nameOf).sort()).toEqual(
      [
        'expe-auth',
        'expe-gateway',
        'expe-merchants',
        'expe-operator',
        'expe-payments',
        'expe-postgresql',
        'expe-redis',
        'expe-web',
        'expe-webhooks',
      ].sort(),
    );
    for (const pod of pods) {
      const selecting = policies.filter((policy) =>
        selectorMatches(policy.spec.podSelector, pod.labels),
      );
      const types = selecting.flatMap((policy) => policy.spec.policyTypes as string[]);
      expect(types, nameOf(pod)).toContain('Ingress');
      expect(types, nameOf(pod)).toContain('Egress');
    }
  });
});

describe('what each service is configured to reach', () => {
  it('when a service is configured with an address of the release, then its egress and the target’s ingress both admit it, DNS included', async () => {
    const objects = await platform();
    let checked = 0;

    for (const pod of podTemplates(objects)) {
      const peers = configuredPeers(objects, pod);
      if (peers.length > 0) {
        expect(
          isEgressAllowed(objects, asPeer(pod), { pod: kubeDns }, dnsPort),
          `${nameOf(pod)} → DNS`,
        ).toBe(true);
      }
      for (const peer of peers) {
        const what = `${nameOf(pod)} → ${nameOf(peer.pod)}:${peer.port.containerPort} (${peer.variable})`;
        const target = { namespace, labels: peer.pod.labels };
        const port = { port: peer.port.containerPort, name: peer.port.name };
        expect(isEgressAllowed(objects, asPeer(pod), { pod: asPeer(peer.pod) }, port), what).toBe(
          true,
        );
        expect(isIngressAllowed(objects, target, peer.port, asPeer(pod)), what).toBe(true);
        checked += 1;
      }
    }
    // gateway 4 services + Redis; auth 1 + PostgreSQL + Redis; merchants, webhooks PostgreSQL +
    // Redis; payments 2 + PostgreSQL + Redis.
    expect(checked).toBe(5 + 3 + 2 + 2 + 4);
  });

  it('when a Pod is not configured to call another Pod of the release, then its egress refuses it', async () => {
    const objects = await platform();
    const pods = podTemplates(objects);

    for (const pod of pods) {
      const allowed = new Set(configuredPeers(objects, pod).map((peer) => nameOf(peer.pod)));
      for (const other of pods) {
        if (other === pod || allowed.has(nameOf(other))) continue;
        for (const port of other.containers.flatMap((c) => c.ports ?? [])) {
          expect(
            isEgressAllowed(
              objects,
              asPeer(pod),
              { pod: asPeer(other) },
              { port: port.containerPort, name: port.name },
            ),
            `${nameOf(pod)} → ${nameOf(other)}:${port.containerPort}`,
          ).toBe(false);
        }
      }
    }
  });

  it('when the web app (nginx) or the in-cluster PostgreSQL and Redis try to send anything, then nothing leaves, not even DNS', async () => {
    const objects = await platform();

    for (const name of ['expe-web', 'expe-postgresql', 'expe-redis']) {
      const pod = podTemplates(objects).find((p) => nameOf(p) === name)!;
      expect(isEgressAllowed(objects, asPeer(pod), { pod: kubeDns }, dnsPort), name).toBe(false);
      expect(
        isEgressAllowed(objects, asPeer(pod), { ip: publicAddress }, { port: 443 }),
        name,
      ).toBe(false);
    }
  });
});

describe('the webhooks worker and the internet', () => {
  it('when webhooks delivers, then it reaches any public address on any port, and never private, metadata or loopback ranges', async () => {
    const objects = await platform();
    const webhooks = podTemplates(objects).find((p) => nameOf(p) === 'expe-webhooks')!;
    const from = asPeer(webhooks);

    for (const port of [443, 80, 8443]) {
      expect(isEgressAllowed(objects, from, { ip: publicAddress }, { port })).toBe(true);
    }
    expect(isEgressAllowed(objects, from, { ip: '2606:2800:220:1::248' }, { port: 443 })).toBe(
      true,
    );
    for (const ip of forbiddenAddresses) {
      expect(isEgressAllowed(objects, from, { ip }, { port: 80 }), ip).toBe(false);
      expect(isEgressAllowed(objects, from, { ip }, { port: 443 }), ip).toBe(false);
    }
  });

  it('when any other service tries the internet or the metadata service, then its egress refuses it', async () => {
    const objects = await platform();

    for (const pod of podTemplates(objects).filter((p) => nameOf(p) !== 'expe-webhooks')) {
      for (const ip of [publicAddress, ...forbiddenAddresses]) {
        expect(
          isEgressAllowed(objects, asPeer(pod), { ip }, { port: 443 }),
          `${nameOf(pod)} → ${ip}`,
        ).toBe(false);
      }
    }
  });

  it('when a receiver runs in the cluster, then webhooks.networkPolicy.egress.extraRules admits it (and only it)', async () => {
    const objects = await platform([
      '--set-json',
      'webhooks.networkPolicy.egress.extraRules=[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"receivers"}}}],"ports":[{"port":8080}]}]',
    ]);
    const webhooks = podTemplates(objects).find((p) => nameOf(p) === 'expe-webhooks')!;
    const receiver = {
      namespace: 'receivers',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'receivers' },
      labels: { app: 'receiver' },
    };

    expect(isEgressAllowed(objects, asPeer(webhooks), { pod: receiver }, { port: 8080 })).toBe(
      true,
    );
    expect(isEgressAllowed(objects, asPeer(webhooks), { pod: receiver }, { port: 9090 })).toBe(
      false,
    );
    expect(isEgressAllowed(objects, asPeer(webhooks), { pod: stranger }, { port: 8080 })).toBe(
      false,
    );
  });

  it('when webhooks.networkPolicy.egress.internet is off, then deliveries can leave nowhere', async () => {
    const objects = await platform([
      '--set',
      'webhooks.networkPolicy.egress.internet.enabled=false',
    ]);
    const webhooks = podTemplates(objects).find((p) => nameOf(p) === 'expe-webhooks')!;

    expect(isEgressAllowed(objects, asPeer(webhooks), { ip: publicAddress }, { port: 443 })).toBe(
      false,
    );
  });
});

describe('values', () => {
  const usesDatabase = ['expe-auth', 'expe-merchants', 'expe-payments', 'expe-webhooks'];

  it('when the database and Redis are managed (addresses in values), then exactly the services that use them reach those addresses on their ports', async () => {
    const objects = await platform([
      '--set',
      'postgresql.enabled=false',
      '--set',
      'redis.enabled=false',
      '--set',
      'externalDatabase.url=postgres://expe:pw@10.20.0.7:5432/expe',
      '--set',
      'externalRedis.url=redis://10.30.0.9:6380',
      '--set-json',
      'global.networkPolicy.egress.database=[{"ipBlock":{"cidr":"10.20.0.0/24"}}]',
      '--set-json',
      'global.networkPolicy.egress.redis=[{"ipBlock":{"cidr":"10.30.0.9/32"}}]',
      '--set',
      'global.networkPolicy.egress.redisPort=6380',
    ]);

    for (const pod of podTemplates(objects)) {
      const from = asPeer(pod);
      const database = isEgressAllowed(objects, from, { ip: '10.20.0.7' }, { port: 5432 });
      expect(database, nameOf(pod)).toBe(usesDatabase.includes(nameOf(pod)));
      expect(isEgressAllowed(objects, from, { ip: '10.20.1.7' }, { port: 5432 }), nameOf(pod)).toBe(
        false,
      );
      expect(isEgressAllowed(objects, from, { ip: '10.20.0.7' }, { port: 5433 }), nameOf(pod)).toBe(
        false,
      );
      const redis = isEgressAllowed(objects, from, { ip: '10.30.0.9' }, { port: 6380 });
      expect(redis, nameOf(pod)).toBe(nameOf(pod) !== 'expe-web');
    }
  });

  it('when global extraRules name an OTLP collector, then every service may export to it', async () => {
    const objects = await platform([
      '--set-json',
      'global.networkPolicy.egress.extraRules=[{"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"observability"}},"podSelector":{"matchLabels":{"app":"otel-collector"}}}],"ports":[{"port":4318}]}]',
    ]);
    const collector = {
      namespace: 'observability',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'observability' },
      labels: { app: 'otel-collector' },
    };

    for (const name of [
      'expe-gateway',
      'expe-auth',
      'expe-merchants',
      'expe-payments',
      'expe-webhooks',
    ]) {
      const pod = podTemplates(objects).find((p) => nameOf(p) === name)!;
      expect(isEgressAllowed(objects, asPeer(pod), { pod: collector }, { port: 4318 }), name).toBe(
        true,
      );
      expect(isEgressAllowed(objects, asPeer(pod), { pod: collector }, { port: 4317 }), name).toBe(
        false,
      );
    }
  });

  it('when the cluster DNS is NodeLocal DNSCache, then global.networkPolicy.egress.dns names it instead', async () => {
    const objects = await platform([
      '--set-json',
      'global.networkPolicy.egress.dns=[{"ipBlock":{"cidr":"169.254.20.10/32"}}]',
    ]);
    const payments = podTemplates(objects).find((p) => nameOf(p) === 'expe-payments')!;

    expect(isEgressAllowed(objects, asPeer(payments), { ip: '169.254.20.10' }, dnsPort)).toBe(true);
    expect(isEgressAllowed(objects, asPeer(payments), { pod: kubeDns }, dnsPort)).toBe(false);
    expect(
      isEgressAllowed(objects, asPeer(payments), { ip: '169.254.169.254' }, { port: 80 }),
    ).toBe(false);
  });

  it('when egress policies are turned off, then no policy restricts egress and ingress stays restricted', async () => {
    const objects = await platform(['--set', 'global.networkPolicy.egress.enabled=false']);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');

    expect(policies.length).toBe(8);
    for (const policy of policies) {
      expect(policy.spec.policyTypes, policy.metadata.name).toEqual(['Ingress']);
      expect(policy.spec.egress, policy.metadata.name).toBeUndefined();
    }
  });

  it('when a service’s policy is turned off, then that service has none and the others keep theirs', async () => {
    const objects = await platform(['--set', 'payments.networkPolicy.enabled=false']);
    const names = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);

    expect(names).not.toContain('expe-payments');
    expect(names).toContain('expe-auth');
  });

  it('when the production values are rendered, then the services reach the managed database and Redis they name and the collector they export to', async () => {
    const objects = await platform(['-f', join(charts.dir, 'expe/values-production.yaml')]);
    const peers = (objects.find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'expe-payments',
    )?.spec.egress ?? []) as { to?: { ipBlock?: { cidr: string } }[] }[];
    const cidrs = peers
      .flatMap((rule) => (rule.to ?? []).map((peer) => peer.ipBlock?.cidr))
      .filter(Boolean);

    expect(cidrs.length).toBeGreaterThanOrEqual(2);
    const payments = podTemplates(objects).find((p) => nameOf(p) === 'expe-payments')!;
    const collector = {
      namespace: 'observability',
      namespaceLabels: { 'kubernetes.io/metadata.name': 'observability' },
      labels: { 'app.kubernetes.io/name': 'opentelemetry-collector' },
    };
    expect(isEgressAllowed(objects, asPeer(payments), { pod: collector }, { port: 4318 })).toBe(
      true,
    );
    expect(isEgressAllowed(objects, asPeer(payments), { ip: publicAddress }, { port: 5432 })).toBe(
      false,
    );
  });
});

describe('the operator', () => {
  it('when the operator runs beside the platform, then it reaches DNS, the API server, merchants, webhooks and the gateway (Sandbox fixtures), and nothing else', async () => {
    const platformObjects = await platform();
    const operatorObjects = await operator();
    const all = [...platformObjects, ...operatorObjects];
    const [pod] = podTemplates(operatorObjects);
    const from = asPeer(pod!);

    expect(isEgressAllowed(all, from, { pod: kubeDns }, dnsPort)).toBe(true);
    // The API server after the kubernetes Service's DNAT (6443 on kubeadm, 443 on managed ones).
    expect(isEgressAllowed(all, from, { ip: '10.255.255.2' }, { port: 6443 })).toBe(true);
    expect(isEgressAllowed(all, from, { ip: '172.20.0.1' }, { port: 443 })).toBe(true);
    expect(isEgressAllowed(all, from, { ip: '169.254.169.254' }, { port: 80 })).toBe(false);
    for (const target of podTemplates(platformObjects)) {
      const reach = ['expe-merchants', 'expe-webhooks', 'expe-gateway'].includes(nameOf(target));
      for (const port of target.containers.flatMap((c) => c.ports ?? [])) {
        const what = `operator → ${nameOf(target)}:${port.containerPort}`;
        expect(
          isEgressAllowed(
            all,
            from,
            { pod: asPeer(target) },
            { port: port.containerPort, name: port.name },
          ),
          what,
        ).toBe(reach);
        if (reach) {
          expect(
            isIngressAllowed(all, { namespace, labels: target.labels }, port, from),
            what,
          ).toBe(true);
        }
      }
    }
  });

  it('when the API server’s addresses are given, then the operator reaches only those', async () => {
    const objects = await operator([
      '--set-json',
      'networkPolicy.egress.apiServer.to=[{"ipBlock":{"cidr":"10.0.0.10/32"}}]',
    ]);
    const [pod] = podTemplates(objects);

    expect(isEgressAllowed(objects, asPeer(pod!), { ip: '10.0.0.10' }, { port: 443 })).toBe(true);
    expect(isEgressAllowed(objects, asPeer(pod!), { ip: '10.0.0.11' }, { port: 443 })).toBe(false);
  });

  it('when the operator runs in its own namespace, then its egress names the platform namespace', async () => {
    const platformObjects = await platform();
    const operatorObjects = await operator(
      ['--set', `platform.namespace=${namespace}`],
      'expe-system',
    );
    const [pod] = podTemplates(operatorObjects);
    const from = asPeer(pod!, 'expe-system');
    const merchants = podTemplates(platformObjects).find((p) => nameOf(p) === 'expe-merchants')!;

    expect(isEgressAllowed(operatorObjects, from, { pod: asPeer(merchants) }, { port: 4002 })).toBe(
      true,
    );
    const elsewhere = {
      ...asPeer(merchants),
      namespace: 'other',
      namespaceLabels: stranger.namespaceLabels,
    };
    expect(isEgressAllowed(operatorObjects, from, { pod: elsewhere }, { port: 4002 })).toBe(false);
  });

  it('when anyone but Prometheus connects to the operator, then its ingress refuses it', async () => {
    const objects = await operator();
    const [pod] = podTemplates(objects);
    const port = pod!.containers[0]!.ports![0]!;
    const target = { namespace, labels: pod!.labels };

    expect(isIngressAllowed(objects, target, port, prometheus)).toBe(true);
    expect(isIngressAllowed(objects, target, port, stranger)).toBe(false);
    expect(
      isIngressAllowed(objects, target, port, {
        namespace,
        namespaceLabels,
        labels: { 'app.kubernetes.io/name': 'gateway' },
      }),
    ).toBe(false);
  });

  it('when the operator’s policy is turned off, then it renders none', async () => {
    const objects = await operator(['--set', 'networkPolicy.enabled=false']);

    expect(objects.filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });
});
