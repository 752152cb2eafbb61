import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { prepareCharts, type Charts, type KubeObject } from './support.js';

// charts/expe's observability values (issue 24): the in-cluster Prometheus scrapes what the
// ServiceMonitors describe and evaluates the PrometheusRule's groups, rendered from one source.
// test/cluster/observability.cluster.test.ts runs them on the one-node cluster.
let charts: Charts;
beforeAll(async () => {
  charts = await prepareCharts();
}, 600_000);
afterAll(() => charts?.cleanup());

const observability = [
  '--set',
  'observability.collector.enabled=true',
  '--set',
  'observability.prometheus.enabled=true',
];

function prometheusConfig(objects: KubeObject[]) {
  const configMap = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name === 'expe-prometheus',
  );
  expect(configMap).toBeDefined();
  return {
    config: parse(configMap!.data!['prometheus.yml']!),
    alerts: parse(configMap!.data!['alerts.yml']!),
  };
}

describe('observability values', () => {
  it('when they are off (the default), then no collector or Prometheus is rendered', async () => {
    const objects = await charts.render('expe', 'expe');
    expect(
      objects
        .filter((object) => /otel-collector|prometheus/.test(object.metadata.name))
        .map((object) => `${object.kind}/${object.metadata.name}`),
    ).toEqual([]);
  });

  it('when Prometheus is on, then it has one scrape job per ServiceMonitor, selecting the same Service, port and path', async () => {
    const objects = await charts.render('expe', 'expe', {
      args: [...observability, '--set', 'global.metrics.serviceMonitor.enabled=true'],
    });
    const monitors = objects.filter((object) => object.kind === 'ServiceMonitor');
    const { config } = prometheusConfig(objects);
    const jobs = config.scrape_configs as any[];

    expect(jobs.map((job) => job.job_name).sort()).toEqual(
      monitors.map((monitor) => `serviceMonitor/expe/${monitor.metadata.name}/0`).sort(),
    );
    for (const monitor of monitors) {
      const job = jobs.find((candidate) =>
        candidate.job_name.includes(`/${monitor.metadata.name}/`),
      );
      const keeps = (job.relabel_configs as any[]).filter((rule) => rule.action === 'keep');
      for (const [label, value] of Object.entries(
        monitor.spec.selector.matchLabels as Record<string, string>,
      )) {
        const metaLabel = `__meta_kubernetes_service_label_${label.replace(/[^a-zA-Z0-9]/g, '_')}`;
        const keep = keeps.find((rule) => rule.source_labels[0] === metaLabel);
        expect(keep?.regex, `${monitor.metadata.name} ${label}`).toBe(`(${value});true`);
      }
      const [endpoint] = monitor.spec.endpoints;
      expect(
        keeps.find((rule) => rule.source_labels[0] === '__meta_kubernetes_endpointslice_port_name')
          ?.regex,
      ).toBe(endpoint.port);
      expect(job.metrics_path).toBe(endpoint.path);
      expect(job.honor_labels).toBe(false);
    }
  });

  it('when Prometheus is on, then its rules are exactly the PrometheusRule’s groups', async () => {
    const objects = await charts.render('expe', 'expe', {
      args: [...observability, '--set', 'alerts.enabled=true'],
    });
    const rule = objects.find((object) => object.kind === 'PrometheusRule');
    const { alerts } = prometheusConfig(objects);
    expect(alerts.groups).toEqual(rule!.spec.groups);
    expect(alerts.groups[0].rules.length).toBeGreaterThanOrEqual(10);
  });

  it('when the collector is on, then it receives OTLP on 4317 and 4318 from the release only and runs unprivileged', async () => {
    const objects = await charts.render('expe', 'expe', { args: observability });
    const deployment = objects.find(
      (object) => object.kind === 'Deployment' && object.metadata.name === 'expe-otel-collector',
    );
    const pod = deployment!.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(pod.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    const policy = objects.find(
      (object) => object.kind === 'NetworkPolicy' && object.metadata.name === 'expe-otel-collector',
    );
    expect(policy!.spec.ingress[0].ports).toEqual([{ port: 'otlp-grpc' }, { port: 'otlp-http' }]);
    expect(policy!.spec.egress).toEqual([]);
  });
});
