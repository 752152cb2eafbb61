import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  cluster,
  namespace,
  operatorRelease,
  operatorValuesFile,
  preparedCharts,
  release,
  valuesFile,
} from './support.js';

/**
 * Prometheus (kube-prometheus-stack in `monitoring`, pods labelled
 * app.kubernetes.io/name=prometheus) must be able to scrape every target a ServiceMonitor
 * names, through the NetworkPolicies the same charts install. The bridge CNI plugin does not
 * enforce NetworkPolicies, so this reads the objects as an enforcing plugin would.
 */
const images = inject('clusterImages');
const prometheus = {
  namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
  podLabels: { 'app.kubernetes.io/name': 'prometheus' },
};

type Labels = Record<string, string>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

function matches(selector: Selector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    if (operator === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

let charts: Awaited<ReturnType<typeof preparedCharts>>;
beforeAll(async () => {
  charts = await preparedCharts();
});
afterAll(async () => {
  await charts?.remove();
});

async function rendered(): Promise<any[]> {
  const { helm } = await cluster();
  // Monitoring is turned on by values alone (the charts never look at the cluster's APIs).
  const monitoring = ['--set', 'global.metrics.serviceMonitor.enabled=true'];
  const platform = await helm([
    'template',
    release,
    `${charts.dir}/expe`,
    '--namespace',
    namespace,
    '--values',
    valuesFile,
    '--set',
    `global.image.tag=${images.appTag}`,
    ...monitoring,
  ]);
  const operator = await helm([
    'template',
    operatorRelease,
    `${charts.dir}/expe-operator`,
    '--namespace',
    namespace,
    '--values',
    operatorValuesFile,
    '--set',
    `platform.releaseName=${release}`,
    ...monitoring,
  ]);
  return [platform.stdout, operator.stdout]
    .flatMap((text) => parseAllDocuments(text).map((document) => document.toJSON()))
    .filter(Boolean);
}

describe('metrics scraping under the NetworkPolicies', () => {
  it('when Prometheus scrapes a ServiceMonitor target, then a NetworkPolicy admits it on that port', async () => {
    const objects = await rendered();
    const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
    const workloads = [...ofKind('Deployment'), ...ofKind('StatefulSet')];
    const policies = ofKind('NetworkPolicy');
    const monitors = ofKind('ServiceMonitor');
    expect(monitors.length).toBeGreaterThanOrEqual(6);

    const refused: string[] = [];
    for (const monitor of monitors) {
      const services = ofKind('Service').filter((service) =>
        matches(monitor.spec.selector, service.metadata.labels ?? {}),
      );
      expect(
        services.length,
        `Services of ServiceMonitor ${monitor.metadata.name}`,
      ).toBeGreaterThan(0);
      for (const service of services) {
        for (const endpoint of monitor.spec.endpoints) {
          const port = service.spec.ports.find(
            (candidate: any) => candidate.name === endpoint.port,
          );
          expect(port, `port ${endpoint.port} of Service ${service.metadata.name}`).toBeDefined();
          for (const workload of workloads) {
            const podLabels = workload.spec.template.metadata.labels ?? {};
            if (!matches({ matchLabels: service.spec.selector }, podLabels)) continue;
            const containerPorts = workload.spec.template.spec.containers.flatMap(
              (container: any) => container.ports ?? [],
            );
            const target = containerPorts.find(
              (candidate: any) =>
                candidate.name === port.targetPort || candidate.containerPort === port.targetPort,
            );
            expect(
              target,
              `target port ${port.targetPort} of ${workload.metadata.name}`,
            ).toBeDefined();
            const selecting = policies.filter(
              (policy) =>
                matches(policy.spec.podSelector, podLabels) &&
                (policy.spec.policyTypes ?? ['Ingress']).includes('Ingress'),
            );
            if (selecting.length === 0) continue;
            const admitted = selecting.some((policy) =>
              (policy.spec.ingress ?? []).some(
                (rule: any) =>
                  (!rule.ports ||
                    rule.ports.some(
                      (allowed: any) =>
                        allowed.port === undefined ||
                        allowed.port === target.name ||
                        allowed.port === target.containerPort,
                    )) &&
                  (!rule.from ||
                    rule.from.some(
                      (peer: any) =>
                        !peer.ipBlock &&
                        (peer.namespaceSelector
                          ? matches(peer.namespaceSelector, prometheus.namespaceLabels)
                          : false) &&
                        matches(peer.podSelector, prometheus.podLabels),
                    )),
              ),
            );
            if (!admitted) refused.push(`${workload.metadata.name}:${target.containerPort}`);
          }
        }
      }
    }
    expect(refused).toEqual([]);
  });
});
